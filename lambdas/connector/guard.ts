import { signalOperator } from '../shared/observability';
import { clearFailures, getFailures, recordFailure } from './attempts';
import { credentialsMatch, loadCredentials } from './credentials';
import { admit, startsBlock } from './lockout';
import type { Credentials } from './request';

export type Authorisation = 'ok' | 'badCredentials' | 'throttled';

/**
 * NIC's credentials, checked under the per-address limits of ./lockout: an address in back-off or
 * blocked is not checked at all (answered like wrong credentials), a failure is counted, and the failure
 * that starts a block tells the operators.
 */
export async function authorise(
  sourceIp: string,
  given: Credentials,
  now = Date.now(),
): Promise<Authorisation> {
  const record = await getFailures(sourceIp);
  if (admit(record, now).kind !== 'check') return 'throttled';
  if (credentialsMatch(await loadCredentials(), given)) {
    if (record) await clearFailures(sourceIp);
    return 'ok';
  }
  const after = await recordFailure(sourceIp, now);
  if (startsBlock(after)) signalOperator('ConnectorSourceBlocked', { sourceIp });
  return 'badCredentials';
}
