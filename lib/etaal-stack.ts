import { join } from 'node:path';
import { Stack, type StackProps } from 'aws-cdk-lib';
import { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { FunctionSpec, RouteSpec } from '../lambdas/functions';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../lambdas/shared/operator-signals';
import { settingEnvironment } from '../lambdas/shared/settings';
import { Alerting } from './alerting';
import type { DeploymentConfig } from './config';
import { ConnectorSecret } from './connector-secret';
import { DataTables } from './data-tables';
import { DocumentsBucket } from './documents-bucket';
import { Email } from './email';
import { LambdaFunctions } from './lambda-functions';
import { OnboardingWorkflow } from './onboarding-workflow';
import { Operations } from './operations';
import { REPOSITORY_ROOT } from './paths';
import { EtaalRestApi } from './rest-api';
import { StreamConsumers } from './stream-consumers';

export interface ETaalStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly functions: readonly FunctionSpec[];
  readonly routes: readonly RouteSpec[];
  /** ASL of the onboarding workflow; defaults to statemachines/onboarding.asl.json. */
  readonly definitionFile?: string;
}

/**
 * The whole service in one stack. Stateful resources (tables, secret) are retained on deletion rather than
 * split into a stack of their own: cross-stack exports would freeze every table a function stops using.
 */
export class ETaalStack extends Stack {
  readonly data: DataTables;
  readonly lambdas: LambdaFunctions;
  readonly workflow: OnboardingWorkflow;
  readonly api: EtaalRestApi;
  readonly email: Email;
  readonly connectorSecret: ConnectorSecret;
  readonly documents: DocumentsBucket;
  readonly alerting: Alerting;
  readonly operations: Operations;

  constructor(scope: Construct, id: string, props: ETaalStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.data = new DataTables(this, 'Data');
    this.email = new Email(this, 'Email', {
      identityDomain: config.sesIdentityDomain,
      senderAddress: config.senderAddress,
      createIdentity: config.createSesIdentity,
    });
    // The stage in the metrics' service dimension: a dev stack in the same account never fires prod's alarms.
    const serviceName = `${SERVICE_NAME}-${config.stage}`;
    this.connectorSecret = new ConnectorSecret(this, 'Connector', { stage: config.stage });
    this.documents = new DocumentsBucket(this, 'Documents');

    // Functions get the state machine's ARN from its name; the state machine, created after them, gets
    // theirs by reference. This order is what keeps the template free of a cycle.
    const stateMachineName = `${this.stackName}-Onboarding`;
    this.lambdas = new LambdaFunctions(this, 'Functions', {
      specs: props.functions,
      tables: this.data.tables,
      stateMachine: StateMachine.fromStateMachineName(this, 'OnboardingReference', stateMachineName),
      stateMachineName,
      email: this.email,
      connectorSecret: this.connectorSecret,
      documents: this.documents,
      escalationLimit: config.escalationLimit,
      serviceName,
    });
    new StreamConsumers(this, 'Streams', {
      specs: props.functions,
      functions: this.lambdas.functions,
      tables: this.data.tables,
    });
    this.workflow = new OnboardingWorkflow(this, 'Onboarding', {
      definitionFile: props.definitionFile ?? join(REPOSITORY_ROOT, 'statemachines', 'onboarding.asl.json'),
      stateMachineName,
      functions: this.lambdas.functions,
    });
    this.api = new EtaalRestApi(this, 'Api', {
      stageName: config.stage,
      routes: props.routes,
      functions: this.lambdas.functions,
      domainName: config.apiDomain || undefined,
      ...(config.apiHostedZoneId
        ? { hostedZone: { id: config.apiHostedZoneId, name: config.apiHostedZoneName } }
        : {}),
      connectorAllowedCidrs: config.connectorAllowedCidrs,
      adminRoleArn: config.adminRoleArn || undefined,
    });
    this.lambdas.addSettings({
      publicBaseUrl: this.api.publicBaseUrl,
      hodSignaturePolicy: config.hodSignature,
    });
    const connector = this.lambdas.functions.get('ETaalConnector');
    const connectorSettings = settingEnvironment({ connectorUrlCredentials: config.connectorUrlCredentials });
    for (const [name, value] of Object.entries(connectorSettings)) connector?.addEnvironment(name, value);

    this.alerting = new Alerting(this, 'Alerting', { emails: config.alarmEmails, stage: config.stage });
    this.operations = new Operations(this, 'Operations', {
      api: this.api.restApi,
      metricsNamespace: METRICS_NAMESPACE,
      serviceName,
      alerting: this.alerting,
      functions: this.lambdas.functions,
      stateMachine: this.workflow.stateMachine,
      tables: this.data.tables,
    });
  }
}
