import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { MockIntegration, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { describe, expect, it } from 'vitest';
import { renderServiceError } from '../../lambdas/connector/document';
import { ROUTES } from '../../lambdas/functions';
import { MAX_BODY_BYTES_BY_BUDGET } from '../../lib/edge-limits';
import { WebAcl } from '../../lib/web-acl';

/**
 * The WAF's own answers. Its 413 is a handler's body limit checked early, so it answers as that handler
 * would: the connector (NIC's poller reads XML) with its XML error document, every other route with a
 * problem. Its 403 and 429 are the edge's own, problems on every route (EDGE_PROBLEMS in the reference).
 * Built on its own (no bundling), with NIC's allow-list configured.
 */
interface WafRule {
  Name: string;
  Statement: unknown;
  Action?: { Block?: { CustomResponse: { ResponseCode: number; CustomResponseBodyKey: string } } };
}
interface WafAcl {
  Rules: WafRule[];
  CustomResponseBodies: Record<string, { ContentType: string; Content: string }>;
}

const BASE_URL = 'https://api.etaal.example.gov.in';

function webAcl(): WafAcl {
  const stack = new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'ap-south-1' } });
  const api = new RestApi(stack, 'Api', { deployOptions: { stageName: 'prod' } });
  api.root.addMethod('GET', new MockIntegration());
  new WebAcl(stack, 'Firewall', {
    stage: api.deploymentStage,
    routes: ROUTES,
    connectorAllowedCidrs: ['164.100.0.0/16'],
    publicBaseUrl: BASE_URL,
  });
  const [acl] = Object.values(Template.fromStack(stack).findResources('AWS::WAFv2::WebACL'));
  return acl?.Properties as WafAcl;
}

describe('the WAF answers', () => {
  const acl = webAcl();
  const answerOf = (rule: WafRule) => {
    const response = rule.Action?.Block?.CustomResponse;
    if (!response) throw new Error(`${rule.Name} does not block`);
    const body = acl.CustomResponseBodies[response.CustomResponseBodyKey];
    if (!body) throw new Error(`${rule.Name}: no body ${response.CustomResponseBodyKey}`);
    return { status: response.ResponseCode, ...body };
  };
  const blocking = acl.Rules.filter((rule) => rule.Action?.Block);
  const coversConnector = (rule: WafRule) => JSON.stringify(rule.Statement).includes('"/etaal/');
  const sizeRules = blocking.filter((rule) => rule.Name.startsWith('BodyOver'));

  it("an oversized body on the connector's route with its XML error document, sent as text (WAF has no XML type)", () => {
    const connector = sizeRules.filter(coversConnector);
    expect(connector.map((rule) => rule.Name)).toEqual([
      `BodyOver${MAX_BODY_BYTES_BY_BUDGET.connector}BytesXml`,
    ]);
    const answer = answerOf(connector[0] as WafRule);
    expect(answer.status).toBe(413);
    expect(answer.ContentType).toBe('TEXT_PLAIN');
    expect(answer.Content).toBe(
      renderServiceError('xml', 413, 'The request body is larger than this route accepts.'),
    );
  });

  it('an oversized body elsewhere, and every 403 and 429 (the connector’s too), with a problem', () => {
    const problems = blocking.filter((rule) => !(sizeRules.includes(rule) && coversConnector(rule)));
    expect(problems.map((rule) => rule.Name)).toEqual(
      expect.arrayContaining(['ConnectorAllowList', 'ConnectorPerIp']),
    );
    for (const rule of problems) {
      const answer = answerOf(rule);
      expect(answer.ContentType, rule.Name).toBe('APPLICATION_JSON');
      expect(JSON.parse(answer.Content), rule.Name).toMatchObject({
        type: expect.stringMatching(/^https:\/\/api\.etaal\.example\.gov\.in\/docs\/problems\//),
        status: answer.status,
      });
    }
  });
});
