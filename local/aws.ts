import { TABLES, type TableName } from '../lambdas/shared/tables';

/**
 * Names and ARNs of the local "account": every emulator answers for this region and account, so ARNs
 * have the same shape as in AWS and code that parses them behaves the same.
 */
export const LOCAL_REGION = 'ap-south-1';
/** The sender of every email in local mode (the admin CLI sends as it too, via runtime.json). */
export const LOCAL_SENDER = 'no-reply@etaal-delhi.local';
export const LOCAL_ACCOUNT = '000000000000';
/** The credentials handlers sign with in local mode (the emulators accept them). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const LOCAL_STATE_MACHINE_NAME = 'etaal-local-onboarding';

export function localLambdaArn(functionId: string): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${functionId}`;
}

export function localStateMachineArn(name = LOCAL_STATE_MACHINE_NAME): string {
  return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${name}`;
}

export function localExecutionArn(stateMachineArn: string, executionName: string): string {
  const machineName = stateMachineArn.split(':').at(-1);
  return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${machineName}:${executionName}`;
}

/** The physical table names of local mode, e.g. `etaal-local-onboardings`. */
export function localTableNames(): Record<TableName, string> {
  const names = {} as Record<TableName, string>;
  for (const key of Object.keys(TABLES) as TableName[]) names[key] = `etaal-local-${key}`;
  return names;
}
