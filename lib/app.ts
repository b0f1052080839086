import { App, type AppProps, Stage, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { FUNCTIONS, type FunctionSpec, ROUTES, type RouteSpec } from '../lambdas/functions';
import { loadDeploymentConfig } from './config';
import { ETaalStack } from './etaal-stack';

export interface ETaalAppOptions extends AppProps {
  readonly functions?: readonly FunctionSpec[];
  readonly routes?: readonly RouteSpec[];
  readonly definitionFile?: string;
}

export interface ETaalApp {
  readonly app: App;
  readonly stage: Stage;
  readonly stack: ETaalStack;
}

/**
 * The CDK app: one Stage per deployment (`ETaalDelhi-<stage>`) checked by the AWS Solutions and Serverless
 * cdk-nag packs; any finding not acknowledged in code with a reason fails synthesis.
 */
export function createETaalApp(options: ETaalAppOptions = {}): ETaalApp {
  const { functions = FUNCTIONS, routes = ROUTES, definitionFile, ...appProps } = options;
  const app = new App(appProps);
  const config = loadDeploymentConfig(app);
  const stage = new Stage(app, `ETaalDelhi-${config.stage}`, {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  // On the stage, not the app: a plugin only checks the stacks of the assembly it is registered on.
  Validations.of(stage).addPlugins(new AwsSolutionsChecks(stage), new ServerlessChecks(stage));
  const stack = new ETaalStack(stage, 'Service', {
    config,
    functions,
    routes,
    definitionFile,
    description: `e-Taal Delhi (${config.stage}): onboarding GNCTD departments onto national e-Taal`,
  });
  return { app, stage, stack };
}
