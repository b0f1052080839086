import { describe, expect, it } from 'vitest';
import { CONTEXT_PREFIX, parseDeploymentConfig } from '../../lib/config';
import { cdkJsonContext } from './synth';

/** cdk.json's defaults, keyed without the `etaal:` prefix. */
function defaults(): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(cdkJsonContext())
      .filter(([key]) => key.startsWith(CONTEXT_PREFIX))
      .map(([key, value]) => [key.slice(CONTEXT_PREFIX.length), value]),
  );
}

describe('deployment context', () => {
  it('accepts the cdk.json defaults, which point at example.gov.in and no custom domain', () => {
    expect(parseDeploymentConfig(defaults())).toEqual({
      stage: 'dev',
      senderAddress: 'no-reply@example.gov.in',
      sesIdentityDomain: 'example.gov.in',
      apiDomain: '',
      escalationLimit: 3,
      hodSignature: 'required',
      connectorUrlCredentials: false,
      createSesIdentity: false,
      alarmEmails: [],
      apiHostedZoneId: '',
      apiHostedZoneName: '',
      connectorAllowedCidrs: [],
      adminRoleArn: '',
    });
  });

  it('keeps URL credentials of the connector off unless enabled, from a boolean or `-c` text', () => {
    const { connectorUrlCredentials: _, ...withoutSetting } = defaults();
    expect(parseDeploymentConfig(withoutSetting).connectorUrlCredentials).toBe(false);
    expect(
      parseDeploymentConfig({ ...defaults(), connectorUrlCredentials: 'true' }).connectorUrlCredentials,
    ).toBe(true);
    expect(
      parseDeploymentConfig({ ...defaults(), connectorUrlCredentials: 'false' }).connectorUrlCredentials,
    ).toBe(false);
    expect(() => parseDeploymentConfig({ ...defaults(), connectorUrlCredentials: 'yes' })).toThrow(
      /etaal:connectorUrlCredentials/,
    );
  });

  it("takes NIC's addresses comma-separated from `-c` and names a bad one", () => {
    const config = parseDeploymentConfig({
      ...defaults(),
      connectorAllowedCidrs: '164.100.0.0/16,2001:db8::/32',
    });
    expect(config.connectorAllowedCidrs).toEqual(['164.100.0.0/16', '2001:db8::/32']);
    expect(() => parseDeploymentConfig({ ...defaults(), connectorAllowedCidrs: ['164.100.0.0'] })).toThrow(
      /etaal:connectorAllowedCidrs\.0: must be a CIDR/,
    );
    expect(() => parseDeploymentConfig({ ...defaults(), adminRoleArn: 'admin' })).toThrow(
      /etaal:adminRoleArn: must be an IAM role ARN/,
    );
  });

  it('takes the string values `cdk -c key=value` passes', () => {
    const config = parseDeploymentConfig({
      ...defaults(),
      escalationLimit: '5',
      apiDomain: 'etaal.example.gov.in',
    });
    expect(config.escalationLimit).toBe(5);
    expect(config.apiDomain).toBe('etaal.example.gov.in');
  });

  it.each([
    ['stage', 'Prod_1', /etaal:stage: must be 1-12 lower-case letters or digits/],
    ['senderAddress', 'not-an-address', /etaal:senderAddress/],
    [
      'senderAddress',
      'no-reply@elsewhere.gov.in',
      /etaal:senderAddress: must be an address at sesIdentityDomain/,
    ],
    ['sesIdentityDomain', 'https://example.gov.in', /etaal:sesIdentityDomain: must be a lower-case DNS name/],
    ['apiDomain', 'etaal.example.gov.in/v1', /etaal:apiDomain/],
    ['escalationLimit', '0', /etaal:escalationLimit/],
    ['escalationLimit', '2.5', /etaal:escalationLimit/],
    ['escalationLimit', undefined, /etaal:escalationLimit/],
  ])('rejects %s = %j, naming the context key', (key, value, message) => {
    expect(() => parseDeploymentConfig({ ...defaults(), [key]: value })).toThrow(message);
  });
});
