import { Aws, CfnOutput, Duration, Fn, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  type Method,
  MethodLoggingLevel,
  ResponseTransferMode,
  ResponseType,
  RestApi,
  SecurityPolicy,
} from 'aws-cdk-lib/aws-apigateway';
import { Certificate, CertificateValidation } from 'aws-cdk-lib/aws-certificatemanager';
import { AccountRootPrincipal, PolicyDocument, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ARecord, HostedZone, RecordTarget } from 'aws-cdk-lib/aws-route53';
import { ApiGatewayDomain } from 'aws-cdk-lib/aws-route53-targets';
import { CfnSamplingRule } from 'aws-cdk-lib/aws-xray';
import { Construct } from 'constructs';
import type { RouteSpec } from '../lambdas/functions';
import { adminRoutesPolicy } from './admin-access';
import {
  edgeProblemBody,
  METHOD_THROTTLES,
  RATE_LIMITED_STATUS,
  routeBudget,
  STAGE_THROTTLE,
} from './edge-limits';
import { WebAcl } from './web-acl';

export interface EtaalRestApiProps {
  /** API Gateway stage name, the first path segment of the execute-api URL. */
  readonly stageName: string;
  readonly routes: readonly RouteSpec[];
  readonly functions: ReadonlyMap<string, IFunction>;
  /** Custom domain; empty or undefined: the execute-api URL is the public one. */
  readonly domainName?: string;
  /** The Route 53 zone of `domainName`: DNS validation and the alias record are then automatic. */
  readonly hostedZone?: { readonly id: string; readonly name: string };
  /** Steady-state requests per second for the whole stage, and the burst above it. */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  /** CIDRs NIC's poller calls from; empty: the connector answers any address (within its rate limit). */
  readonly connectorAllowedCidrs?: readonly string[];
  /** The only principal allowed on IAM-authorised routes; empty or undefined: the stack creates a role. */
  readonly adminRoleArn?: string;
}

/** Errors API Gateway itself returns (throttling, unknown route, IAM denial) in the handlers' format. */
const PROBLEM_TEMPLATE =
  '{"type":"about:blank","title":"$context.error.responseType","detail":$context.error.messageString}';

/** API Gateway's throttling refills its token bucket every second: a short wait is enough. */
const THROTTLED_RETRY_AFTER_SECONDS = 1;

/**
 * How long API Gateway waits on a streamed answer: longer than any streaming function's timeout (the
 * connector's is 120 s), within the 15 minutes a STREAM integration allows.
 */
export const STREAM_INTEGRATION_TIMEOUT = Duration.minutes(3);

/**
 * The REST API (API Gateway v1: request validation, WAF, usage throttles per method, response streaming) of
 * ROUTES, each route a Lambda proxy integration, with its stage, access logs, custom domain and admin role.
 */
export class EtaalRestApi extends Construct {
  readonly restApi: RestApi;
  /** Base URL for links in emails and responses (no trailing slash), known without referencing the stage. */
  readonly publicBaseUrl: string;
  readonly accessLogs: LogGroup;
  readonly webAcl: WebAcl;
  /** The role admitted to the IAM-authorised (admin) routes; undefined when config names one or none exist. */
  readonly adminRole: Role | undefined;
  readonly adminRoleArn: string;

  constructor(scope: Construct, id: string, props: EtaalRestApiProps) {
    super(scope, id);
    const adminRoutes = props.routes.filter((route) => route.auth === 'iam');
    this.adminRole =
      props.adminRoleArn || adminRoutes.length === 0
        ? undefined
        : new Role(this, 'AdminRole', {
            assumedBy: new AccountRootPrincipal(),
            description: 'e-Taal Delhi administrators: the only principal the admin report routes admit',
          });
    this.adminRoleArn = props.adminRoleArn || this.adminRole?.roleArn || '';
    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.SIX_MONTHS });
    this.restApi = new RestApi(this, 'RestApi', {
      // The stage in the name: a dev API's metrics (ApiName dimension) never fire another stage's alarms.
      restApiName: `etaal-delhi-${props.stageName}`,
      description: 'e-Taal Delhi onboarding API',
      endpointTypes: [EndpointType.REGIONAL],
      // PDFs pass through as bytes: signed uploads (raw or in a multipart form) and document downloads.
      binaryMediaTypes: ['application/pdf', 'multipart/form-data'],
      // Access logging needs the account-level API Gateway CloudWatch role; kept on stack deletion because
      // it is shared by every API of the account and region.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      policy: new PolicyDocument({
        statements: adminRoutesPolicy(adminRoutes, this.adminRoleArn),
      }),
      deployOptions: {
        stageName: props.stageName,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        // No field holds the query string (resourcePath is the template): with the connector's URL
        // credentials enabled, a password in a URL must not reach the logs.
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
        throttlingRateLimit: STAGE_THROTTLE.rateLimit,
        throttlingBurstLimit: STAGE_THROTTLE.burstLimit,
        // One budget per caller class, so a flood on one (say the public approval pages) cannot use up
        // the departments' or NIC's.
        methodOptions: Object.fromEntries(
          props.routes.map((route) => {
            const budget = METHOD_THROTTLES[routeBudget(route)];
            return [
              `${route.path}/${route.method}`,
              {
                throttlingRateLimit: budget.rateLimit,
                throttlingBurstLimit: budget.burstLimit,
                metricsEnabled: true,
                dataTraceEnabled: false,
                // An approval link's path is its credential: API Gateway logs none of its requests.
                loggingLevel:
                  routeBudget(route) === 'approvals' ? MethodLoggingLevel.OFF : MethodLoggingLevel.ERROR,
              },
            ];
          }),
        ),
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
    // X-Ray records each request's URL; an approval link's path is its credential. Tracing stays on for
    // every other route; requests to the approval pages are never sampled (nor their Lambda segments,
    // which follow API Gateway's decision).
    new CfnSamplingRule(this, 'NoTracesOfApprovalLinks', {
      samplingRule: {
        ruleName: `${props.stageName}-approval-links`,
        priority: 1,
        fixedRate: 0,
        reservoirSize: 0,
        serviceName: '*',
        serviceType: 'AWS::ApiGateway::Stage',
        resourceArn: this.restApi.deploymentStage.stageArn,
        host: '*',
        httpMethod: '*',
        urlPath: '*/approvals/*',
        version: 1,
      },
    });
    if (this.adminRole) {
      this.adminRole.addToPolicy(
        new PolicyStatement({
          actions: ['execute-api:Invoke'],
          resources: adminRoutes.map((route) =>
            this.restApi.arnForExecuteApi(route.method, route.path, props.stageName),
          ),
        }),
      );
      new CfnOutput(this, 'AdminRoleArnOutput', {
        key: 'adminRoleArn',
        value: this.adminRole.roleArn,
        description: 'Assume this role to call the admin report routes (the only principal they admit)',
      });
    }

    if (props.domainName) {
      const zone = props.hostedZone
        ? HostedZone.fromHostedZoneAttributes(this, 'Zone', {
            hostedZoneId: props.hostedZone.id,
            zoneName: props.hostedZone.name,
          })
        : undefined;
      const certificate = new Certificate(this, 'Certificate', {
        domainName: props.domainName,
        validation: CertificateValidation.fromDns(zone),
      });
      const domain = this.restApi.addDomainName('Domain', {
        domainName: props.domainName,
        certificate,
        endpointType: EndpointType.REGIONAL,
        securityPolicy: SecurityPolicy.TLS_1_2,
      });
      if (zone) {
        new ARecord(this, 'Alias', {
          zone,
          recordName: props.domainName,
          target: RecordTarget.fromAlias(new ApiGatewayDomain(domain)),
        });
      }
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
    // Built once the base URL is known: the edge's problem types resolve under it, like the handlers'.
    this.webAcl = new WebAcl(this, 'Firewall', {
      stage: this.restApi.deploymentStage,
      routes: props.routes,
      connectorAllowedCidrs: props.connectorAllowedCidrs ?? [],
      publicBaseUrl: this.publicBaseUrl,
    });
    this.restApi.addGatewayResponse('Throttled', {
      type: ResponseType.THROTTLED,
      statusCode: String(RATE_LIMITED_STATUS),
      responseHeaders: {
        'Content-Type': "'application/problem+json'",
        'Retry-After': `'${THROTTLED_RETRY_AFTER_SECONDS}'`,
      },
      templates: {
        'application/json': edgeProblemBody(
          'api-throttled',
          RATE_LIMITED_STATUS,
          `This operation is receiving more requests than it accepts; wait ${THROTTLED_RETRY_AFTER_SECONDS} seconds and send again.`,
          this.publicBaseUrl,
        ),
      },
    });
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
    const streamed = route.responseTransferMode === 'STREAM';
    const integration = new LambdaIntegration(fn, {
      allowTestInvoke: false,
      ...(streamed
        ? { responseTransferMode: ResponseTransferMode.STREAM, timeout: STREAM_INTEGRATION_TIMEOUT }
        : {}),
    });
    const method = resource.addMethod(route.method, integration, {
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
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'The account-level API Gateway logging role uses the AWS managed policy that AWS documents for it; it only lets API Gateway write its own execution and access logs.',
    });
  }
}
