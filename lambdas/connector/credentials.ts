import { createHash, timingSafeEqual } from 'node:crypto';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SDK_CLIENT_CONFIG } from '../shared/sdk-timeouts';
import { readSetting } from '../shared/settings';

/**
 * The one user name and password NIC's e-Taal poller presents. In AWS they live in the Secrets Manager
 * secret named by CONNECTOR_CREDENTIALS_SECRET_ARN (`{"username": ..., "password": ...}`), cached for a
 * few minutes so a poll storm does not become a Secrets Manager bill; locally they come from
 * ETAAL_CONNECTOR_USERNAME / ETAAL_CONNECTOR_PASSWORD. Never logged.
 */

export interface ConnectorCredentials {
  readonly username: string;
  readonly password: string;
}

/** A rotated password is picked up within this many seconds. */
const CACHE_SECONDS = 300;

/** Bounded like every SDK client (../shared/sdk-timeouts): a stalled Secrets Manager is a timely 503. */
const secrets = new SecretsProvider({ clientConfig: SDK_CLIENT_CONFIG });

export async function loadCredentials(): Promise<ConnectorCredentials | undefined> {
  const secretArn = readSetting('connectorCredentialsSecretArn');
  if (secretArn) {
    const secret = (await secrets.get(secretArn, { maxAge: CACHE_SECONDS, transform: 'json' })) as
      | Partial<ConnectorCredentials>
      | undefined;
    return usable(secret?.username, secret?.password);
  }
  return usable(readSetting('connectorUsername'), readSetting('connectorPassword'));
}

/** An unset or empty credential must never match an empty submission. */
function usable(username: unknown, password: unknown): ConnectorCredentials | undefined {
  if (typeof username !== 'string' || typeof password !== 'string' || !username || !password)
    return undefined;
  return { username, password };
}

/**
 * Constant time in the secrets: both sides are hashed to fixed-length digests first (timingSafeEqual needs
 * equal lengths, and comparing raw lengths would leak them), and both fields are always compared.
 */
export function credentialsMatch(
  expected: ConnectorCredentials | undefined,
  given: { username?: string; password?: string },
): boolean {
  const userOk = sameSecret(expected?.username ?? '', given.username ?? '');
  const passwordOk = sameSecret(expected?.password ?? '', given.password ?? '');
  return expected !== undefined && userOk && passwordOk;
}

function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
