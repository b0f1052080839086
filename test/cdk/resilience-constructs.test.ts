import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Dashboard } from 'aws-cdk-lib/aws-cloudwatch';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { Alerting } from '../../lib/alerting';
import { parseDeploymentConfig } from '../../lib/config';
import { Email } from '../../lib/email';
import { addOnboardingWidgets } from '../../lib/onboarding-widgets';
import { EtaalRestApi } from '../../lib/rest-api';

/** The opt-in variants of issue 8's constructs, on their own (no bundling, so fast). */
const stackWith = (build: (stack: Stack) => void) => {
  const stack = new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'ap-south-1' } });
  build(stack);
  return Template.fromStack(stack);
};

describe('SES identity', () => {
  it('is created, with its DKIM records as outputs, only with etaal:createSesIdentity', () => {
    const created = stackWith(
      (s) =>
        new Email(s, 'Email', {
          identityDomain: 'example.gov.in',
          senderAddress: 'no-reply@example.gov.in',
          createIdentity: true,
        }),
    );
    created.resourceCountIs('AWS::SES::EmailIdentity', 1);
    expect(Object.keys(created.findOutputs('*')).filter((k) => k.startsWith('sesDkimRecord'))).toHaveLength(
      3,
    );

    const imported = stackWith(
      (s) =>
        new Email(s, 'Email', { identityDomain: 'example.gov.in', senderAddress: 'no-reply@example.gov.in' }),
    );
    imported.resourceCountIs('AWS::SES::EmailIdentity', 0);
    expect(Object.keys(imported.findOutputs('*')).filter((k) => k.startsWith('sesDkimRecord'))).toHaveLength(
      0,
    );
  });
});

describe('alarm topic', () => {
  it('subscribes every address of etaal:alarmEmails, and lets CloudWatch publish with the key', () => {
    const template = stackWith(
      (s) =>
        new Alerting(s, 'Alerting', {
          emails: ['ops@example.gov.in', 'oncall@example.gov.in'],
          stage: 'prod',
        }),
    );
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.gov.in',
    });
    const key = Object.values(template.findResources('AWS::KMS::Key'))[0];
    const statements = key?.Properties.KeyPolicy.Statement as { Principal?: { Service?: string } }[];
    expect(statements.some((st) => st.Principal?.Service === 'cloudwatch.amazonaws.com')).toBe(true);
  });
});

describe('operations dashboard', () => {
  it('shows onboardings by status and step, needs-admin, SLA breaches, emails and counts per day', () => {
    const template = stackWith((s) =>
      addOnboardingWidgets(new Dashboard(s, 'Dashboard'), {
        namespace: 'ETaalDelhi',
        serviceName: 'etaal-delhi-prod',
      }),
    );
    const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]);
    for (const title of [
      'Open onboardings by status',
      'Open onboardings by step',
      'Needs an admin',
      'SLA breaches per day',
      'Emails sent and failed per day',
      'Counts accepted and rejected per day',
    ]) {
      expect(body).toContain(title);
    }
    // Per stage: only this stage's service dimension.
    expect(body).toContain('service=\\\\\\"etaal-delhi-prod\\\\\\"');
  });
});

describe('custom API domain', () => {
  it('with a hosted zone: validates the certificate and creates the alias record itself', () => {
    const template = stackWith((s) => {
      const fn = new LambdaFunction(s, 'Fn', {
        runtime: Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: Code.fromInline('exports.handler = async () => ({ statusCode: 200 })'),
      });
      new EtaalRestApi(s, 'Api', {
        stageName: 'prod',
        routes: [{ method: 'GET', path: '/health', functionId: 'Fn', auth: 'none' }],
        functions: new Map([['Fn', fn]]),
        domainName: 'api.etaal.example.gov.in',
        hostedZone: { id: 'Z0123456789ABC', name: 'etaal.example.gov.in' },
      });
    });
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainValidationOptions: [{ DomainName: 'api.etaal.example.gov.in', HostedZoneId: 'Z0123456789ABC' }],
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'api.etaal.example.gov.in.',
      Type: 'A',
    });
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { Name: 'etaal-delhi-prod' });
  });

  it('refuses a hosted zone without its name or outside the API domain', () => {
    const base = {
      stage: 'prod',
      senderAddress: 'no-reply@example.gov.in',
      sesIdentityDomain: 'example.gov.in',
      apiDomain: 'api.etaal.example.gov.in',
      escalationLimit: 3,
    };
    expect(() => parseDeploymentConfig({ ...base, apiHostedZoneId: 'Z0123456789ABC' })).toThrow(
      /etaal:apiHostedZoneId/,
    );
    expect(() =>
      parseDeploymentConfig({
        ...base,
        apiHostedZoneId: 'Z0123456789ABC',
        apiHostedZoneName: 'other.gov.in',
      }),
    ).toThrow(/inside that zone/);
    expect(
      parseDeploymentConfig({
        ...base,
        apiHostedZoneId: 'Z0123456789ABC',
        apiHostedZoneName: 'etaal.example.gov.in',
      }).apiHostedZoneName,
    ).toBe('etaal.example.gov.in');
  });
});
