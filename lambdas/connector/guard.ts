import { signalOperator } from '../shared/observability';
import { clearFailures, getFailures, recordFailure } from './attempts';
import { credentialsMatch, loadCredentials } from './credentials';
import { admit, startsBlock } from './lockout';
import type { Credentials } from './request';

export type Authorisation = 'ok' | 'badCredentials' | 'throttled';

/**
 * NIC's credentials, checked under the per-address limits of ./lockout: an attempt in back-off is not
 * checked but counted as a failure (hammering earns a block sooner), a blocked address is neither checked
 * nor counted (so its block ends), both answered like wrong credentials; the failure that starts a block
 * tells the operators.
 */
export async function authorise(
  sourceIp: string,
  given: Credentials,
  now = Date.now(),
): Promise<Authorisation> {
  const record = await getFailures(sourceIp);
  const admission = admit(record, now);
  if (admission.kind === 'blocked') return 'throttled';
  if (admission.kind === 'check' && credentialsMatch(await loadCredentials(), given)) {
    if (record) await clearFailures(sourceIp);
    return 'ok';
  }
  const after = await recordFailure(sourceIp, now);
  if (startsBlock(after)) signalOperator('ConnectorSourceBlocked', { sourceIp });
  return admission.kind === 'check' ? 'badCredentials' : 'throttled';
}
