import { Stack } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { CfnIPSet, CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { RouteSpec } from '../lambdas/functions';
import {
  bodyLimitFormat,
  EDGE_REFUSALS,
  type EdgeAnswerFormat,
  type EdgeRefusal,
  edgeRefusalBody,
  integerGreaterThanPattern,
  MAX_BODY_BYTES_BY_BUDGET,
  PER_IP_RATE_LIMITS,
  RATE_WINDOW_SECONDS,
  type RouteBudget,
  routeBudget,
} from './edge-limits';

export interface WebAclProps {
  readonly stage: Stage;
  readonly routes: readonly RouteSpec[];
  /** CIDRs NIC's poller calls from; when non-empty, the connector answers no other address. */
  readonly connectorAllowedCidrs: readonly string[];
  /** The API's public base URL: the problem types of the WAF's answers resolve under it. */
  readonly publicBaseUrl: string;
}

type Statement = CfnWebACL.StatementProperty;
type Rule = CfnWebACL.RuleProperty;

/**
 * A custom response body's content type. WAF offers JSON, HTML and plain text, and no rule may set
 * Content-Type: the connector's XML error document goes out as text/plain (an XML parser reads it as is).
 */
const WAF_CONTENT_TYPE: Readonly<Record<EdgeAnswerFormat, string>> = {
  problem: 'APPLICATION_JSON',
  xml: 'TEXT_PLAIN',
};

/** The key of a refusal's custom response body in a format. */
export const customResponseBodyKey = (refusal: EdgeRefusal, format: EdgeAnswerFormat): string =>
  format === 'xml' ? `${refusal}Xml` : refusal;

/**
 * The AWS WAF web ACL of the API stage, built from ./edge-limits: the AWS managed rule groups for IP
 * reputation, known bad inputs and common attacks; one per-IP rate-based rule per caller class; the
 * handlers' body limits on Content-Length; optionally an allow-list of NIC's addresses for the connector.
 * Sampled requests are off: they would store request paths, and an approval link's path is its credential.
 */
export class WebAcl extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    const stageName = props.stage.stageName;
    const pathsOf = (budgets: readonly RouteBudget[]) =>
      pathPrefixes(
        props.routes.filter((route) => budgets.includes(routeBudget(route))),
        stageName,
      );

    const rules: Rule[] = [];
    const add = (rule: Omit<Rule, 'priority' | 'visibilityConfig'>) =>
      rules.push({ ...rule, priority: rules.length, visibilityConfig: visibility(rule.name) });

    const served = (budgets: readonly RouteBudget[]) =>
      props.routes.some((route) => budgets.includes(routeBudget(route)));

    // Custom response bodies are per web ACL, keyed: one per refusal and format, declared as rules use them.
    const bodies: Record<string, CfnWebACL.CustomResponseBodyProperty> = {};
    const block = (
      refusal: EdgeRefusal,
      format: EdgeAnswerFormat = 'problem',
      responseHeaders?: CfnWebACL.CustomHTTPHeaderProperty[],
    ): CfnWebACL.RuleActionProperty => {
      const key = customResponseBodyKey(refusal, format);
      bodies[key] = {
        contentType: WAF_CONTENT_TYPE[format],
        content: edgeRefusalBody(refusal, format, props.publicBaseUrl),
      };
      return {
        block: {
          customResponse: {
            responseCode: EDGE_REFUSALS[refusal].status,
            customResponseBodyKey: key,
            ...(responseHeaders ? { responseHeaders } : {}),
          },
        },
      };
    };

    if (props.connectorAllowedCidrs.length > 0 && served(['connector'])) {
      const ipSets = this.allowListSets(props.connectorAllowedCidrs);
      add({
        name: 'ConnectorAllowList',
        action: block('forbidden'),
        statement: and(
          pathsOf(['connector']),
          not(anyOf(ipSets.map((arn) => ({ ipSetReferenceStatement: { arn } })))),
        ),
      });
    }
    add(managed('AWSManagedRulesAmazonIpReputationList'));
    add(managed('AWSManagedRulesKnownBadInputsRuleSet'));
    // Its 8 KB body-size rule would refuse a templates upload (3 MB); the size rules below replace it.
    add(managed('AWSManagedRulesCommonRuleSet', ['SizeRestrictions_BODY']));

    for (const limit of PER_IP_RATE_LIMITS) {
      if (!served(limit.budgets)) continue;
      add({
        name: limit.name,
        action: block('tooManyRequests', 'problem', [
          { name: 'Retry-After', value: String(RATE_WINDOW_SECONDS) },
        ]),
        statement: {
          rateBasedStatement: {
            limit: limit.limit,
            aggregateKeyType: 'IP',
            evaluationWindowSec: RATE_WINDOW_SECONDS,
            scopeDownStatement: pathsOf(limit.budgets),
          },
        },
      });
    }

    // One rule per size and format: the connector's 413 is its XML even where its limit equals another's.
    const groups = new Map<string, { bytes: number; format: EdgeAnswerFormat; budgets: RouteBudget[] }>();
    for (const [budget, bytes] of Object.entries(MAX_BODY_BYTES_BY_BUDGET) as [RouteBudget, number][]) {
      if (!served([budget])) continue;
      const format = bodyLimitFormat(budget);
      const key = `${bytes}:${format}`;
      const group = groups.get(key) ?? { bytes, format, budgets: [] };
      groups.set(key, { ...group, budgets: [...group.budgets, budget] });
    }
    for (const { bytes, format, budgets } of groups.values()) {
      add({
        name: `BodyOver${bytes}Bytes${format === 'xml' ? 'Xml' : ''}`,
        action: block('payloadTooLarge', format),
        statement: and(pathsOf(budgets), {
          regexMatchStatement: {
            regexString: integerGreaterThanPattern(bytes),
            fieldToMatch: { singleHeader: { Name: 'content-length' } },
            textTransformations: [{ priority: 0, type: 'NONE' }],
          },
        }),
      });
    }

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      description: 'e-Taal Delhi API: managed rule groups, per-IP rate limits, body sizes',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('ETaalDelhiApi'),
      customResponseBodies: bodies,
      rules,
    });
    new CfnWebACLAssociation(this, 'StageAssociation', {
      resourceArn: props.stage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
  }

  private allowListSets(cidrs: readonly string[]): string[] {
    const byVersion = [
      ['IPV4', cidrs.filter((cidr) => !cidr.includes(':'))],
      ['IPV6', cidrs.filter((cidr) => cidr.includes(':'))],
    ] as const;
    return byVersion
      .filter(([, addresses]) => addresses.length > 0)
      .map(
        ([version, addresses]) =>
          new CfnIPSet(this, `ConnectorAllowList${version}`, {
            scope: 'REGIONAL',
            ipAddressVersion: version,
            addresses: [...addresses],
            description: `NIC's ${version} addresses allowed to call the e-Taal connector (${Stack.of(this).stackName})`,
          }).attrArn,
      );
  }
}

function visibility(metricName: string): CfnWebACL.VisibilityConfigProperty {
  return { metricName, cloudWatchMetricsEnabled: true, sampledRequestsEnabled: false };
}

function managed(
  name: string,
  countOnly: readonly string[] = [],
): Omit<Rule, 'priority' | 'visibilityConfig'> {
  return {
    name,
    overrideAction: { none: {} },
    statement: {
      managedRuleGroupStatement: {
        vendorName: 'AWS',
        name,
        ...(countOnly.length > 0
          ? { ruleActionOverrides: countOnly.map((rule) => ({ name: rule, actionToUse: { count: {} } })) }
          : {}),
      },
    },
  };
}

/**
 * The literal start of each route's path (up to its first parameter), as a request reaches the stage:
 * `/<stage>/…` on the execute-api URL, `/…` on a custom domain mapped to the stage.
 */
function pathPrefixes(routes: readonly RouteSpec[], stageName: string): Statement {
  const prefixes = new Set(routes.map((route) => route.path.split('{')[0] as string));
  const statements = [...prefixes].flatMap((prefix) =>
    [prefix, `/${stageName}${prefix}`].map(
      (searchString): Statement => ({
        byteMatchStatement: {
          searchString,
          positionalConstraint: 'STARTS_WITH',
          fieldToMatch: { uriPath: {} },
          textTransformations: [{ priority: 0, type: 'NORMALIZE_PATH' }],
        },
      }),
    ),
  );
  return anyOf(statements);
}

function anyOf(statements: readonly Statement[]): Statement {
  if (statements.length === 0) throw new Error('anyOf needs at least one statement');
  return statements.length === 1
    ? (statements[0] as Statement)
    : { orStatement: { statements: [...statements] } };
}

function and(...statements: Statement[]): Statement {
  return { andStatement: { statements } };
}

function not(statement: Statement): Statement {
  return { notStatement: { statement } };
}
