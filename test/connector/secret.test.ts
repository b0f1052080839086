import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * In AWS the connector reads NIC's credentials from Secrets Manager (CONNECTOR_CREDENTIALS_SECRET_ARN).
 * A stand-in Secrets Manager on 127.0.0.1 answers GetSecretValue, so the real client and cache are used.
 */
const SECRET_ARN = 'arn:aws:secretsmanager:ap-south-1:000000000000:secret:etaal/test/connector-AbCdEf';

let server: Server;
const requests: { target: string; secretId: string }[] = [];
let loadCredentials: typeof import('../../lambdas/connector/credentials').loadCredentials;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const { SecretId } = JSON.parse(body) as { SecretId: string };
      requests.push({ target: String(req.headers['x-amz-target']), secretId: SecretId });
      res.setHeader('Content-Type', 'application/x-amz-json-1.1');
      res.end(
        JSON.stringify({
          ARN: SECRET_ARN,
          Name: 'etaal/test/connector',
          SecretString: JSON.stringify({ username: 'etaal-nic', password: 'from-secrets-manager' }),
          VersionId: 'v1',
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    AWS_REGION: 'ap-south-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    CONNECTOR_CREDENTIALS_SECRET_ARN: SECRET_ARN,
    // Must be ignored when the secret is configured.
    ETAAL_CONNECTOR_USERNAME: 'local-user',
    ETAAL_CONNECTOR_PASSWORD: 'local-password',
  });
  ({ loadCredentials } = await import('../../lambdas/connector/credentials'));
});

afterAll(async () => {
  delete process.env.CONNECTOR_CREDENTIALS_SECRET_ARN;
  delete process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('connector credentials from Secrets Manager', () => {
  it('reads {username, password} from the secret once and serves later polls from the cache', async () => {
    expect(await loadCredentials()).toEqual({ username: 'etaal-nic', password: 'from-secrets-manager' });
    expect(await loadCredentials()).toEqual({ username: 'etaal-nic', password: 'from-secrets-manager' });
    expect(requests).toEqual([{ target: 'secretsmanager.GetSecretValue', secretId: SECRET_ARN }]);
  });
});
