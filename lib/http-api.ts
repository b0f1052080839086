import { Aws, CfnOutput, Fn, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  type Method,
  MethodLoggingLevel,
  ResponseType,
  RestApi,
  SecurityPolicy,
} from 'aws-cdk-lib/aws-apigateway';
import { Certificate, CertificateValidation } from 'aws-cdk-lib/aws-certificatemanager';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteSpec } from '../lambdas/functions';

export interface HttpApiProps {
  /** API Gateway stage name, the first path segment of the execute-api URL. */
  readonly stageName: string;
  readonly routes: readonly RouteSpec[];
  readonly functions: ReadonlyMap<string, IFunction>;
  /** Custom domain; empty or undefined: the execute-api URL is the public one. */
  readonly domainName?: string;
  /** Steady-state requests per second for the whole stage, and the burst above it. */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
}

/** Errors API Gateway itself returns (throttling, unknown route, IAM denial) in the handlers' format. */
const PROBLEM_TEMPLATE =
  '{"type":"about:blank","title":"$context.error.responseType","detail":$context.error.messageString}';

/** The REST API of ROUTES, each route a Lambda proxy integration. */
export class HttpApi extends Construct {
  readonly restApi: RestApi;
  /** Base URL for links in emails and responses (no trailing slash), known without referencing the stage. */
  readonly publicBaseUrl: string;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    const throttle = props.throttle ?? { rateLimit: 25, burstLimit: 50 };
    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.SIX_MONTHS });
    this.restApi = new RestApi(this, 'RestApi', {
      description: 'e-Taal Delhi onboarding API',
      endpointTypes: [EndpointType.REGIONAL],
      // Access logging needs the account-level API Gateway CloudWatch role; kept on stack deletion because
      // it is shared by every API of the account and region.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: props.stageName,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields({
          caller: true,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: true,
        }),
        tracingEnabled: true,
        throttlingRateLimit: throttle.rateLimit,
        throttlingBurstLimit: throttle.burstLimit,
        // ERROR, without data tracing: request bodies carry department data that must not reach logs.
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
      },
    });
    for (const [id, type] of [
      ['Default4xx', ResponseType.DEFAULT_4XX],
      ['Default5xx', ResponseType.DEFAULT_5XX],
    ] as const) {
      this.restApi.addGatewayResponse(id, {
        type,
        responseHeaders: { 'Content-Type': "'application/problem+json'" },
        templates: { 'application/json': PROBLEM_TEMPLATE },
      });
    }
    for (const route of props.routes) this.addRoute(route, props.functions);

    if (props.domainName) {
      const certificate = new Certificate(this, 'Certificate', {
        domainName: props.domainName,
        validation: CertificateValidation.fromDns(),
      });
      const domain = this.restApi.addDomainName('Domain', {
        domainName: props.domainName,
        certificate,
        endpointType: EndpointType.REGIONAL,
        securityPolicy: SecurityPolicy.TLS_1_2,
      });
      this.publicBaseUrl = `https://${props.domainName}`;
      new CfnOutput(this, 'DomainTarget', {
        key: 'apiDomainTarget',
        value: domain.domainNameAliasDomainName,
        description: `CNAME target for ${props.domainName}`,
      });
    } else {
      // Built from the API id and the literal stage name: the stage resource depends on every method, hence
      // on every function, so a function environment referring to it would be a cycle.
      this.publicBaseUrl = Fn.join('', [
        'https://',
        this.restApi.restApiId,
        '.execute-api.',
        Aws.REGION,
        '.',
        Aws.URL_SUFFIX,
        `/${props.stageName}`,
      ]);
    }
    new CfnOutput(this, 'BaseUrl', {
      key: 'apiBaseUrl',
      value: this.publicBaseUrl,
      description: 'Base URL of the e-Taal Delhi API',
    });
    this.acknowledgeFindings();
  }

  private addRoute(route: RouteSpec, functions: ReadonlyMap<string, IFunction>): void {
    const fn = functions.get(route.functionId);
    if (!fn)
      throw new Error(`Route ${route.method} ${route.path} names unknown function ${route.functionId}`);
    const resource = this.restApi.root.resourceForPath(route.path);
    const method = resource.addMethod(route.method, new LambdaIntegration(fn, { allowTestInvoke: false }), {
      authorizationType: route.auth === 'iam' ? AuthorizationType.IAM : AuthorizationType.NONE,
    });
    this.acknowledgeAuthorization(method, route);
  }

  private acknowledgeAuthorization(method: Method, route: RouteSpec): void {
    const validations = Validations.of(method);
    if (route.auth === 'iam') {
      validations.acknowledge({
        id: 'AwsSolutions-COG4',
        reason:
          'Administrative route authorised with AWS_IAM (SigV4): admins are IAM principals, not Cognito users.',
      });
      return;
    }
    const reason =
      route.auth === 'apiKey'
        ? 'Department route: the handler authenticates the per-department API key (x-api-key, stored as a SHA-256 hash) and derives the department from it; API Gateway usage-plan keys cannot map a caller to its department.'
        : 'Authorised by the handler, not API Gateway: approver actions by the single-use capability token of the emailed link (approvers have no login), the e-Taal connector by the NIC-issued credentials the e-Taal guideline prescribes; the liveness check and the dashboard of public totals are public.';
    validations.acknowledge({ id: 'AwsSolutions-APIG4', reason });
    validations.acknowledge({ id: 'AwsSolutions-COG4', reason });
  }

  private acknowledgeFindings(): void {
    const api = Validations.of(this.restApi);
    api.acknowledge({
      id: 'AwsSolutions-APIG2',
      reason:
        'Requests are validated by the handlers (zod schemas) so that a bad request gets an RFC 9457 problem+json naming the field; an API Gateway validator would answer in its own format first.',
    });
    api.acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'No AWS WAF web ACL: callers are a few dozen departments and approvers, stage throttling bounds the load and every non-public route is authenticated by the handler; attach a WAF web ACL to the stage if the API faces hostile traffic.',
    });
    api.acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'The account-level API Gateway logging role uses the AWS managed policy that AWS documents for it; it only lets API Gateway write its own execution and access logs.',
    });
  }
}
