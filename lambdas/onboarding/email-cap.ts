import { createHash } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger, metrics } from '../shared/observability';
import { readSetting } from '../shared/settings';
import { tableName } from '../shared/tables';
import { take } from '../shared/windowed-counter';

/**
 * A per-recipient daily cap on reminder and escalation emails, so no address (an escalation contact, a
 * department's officer) can be flooded by many onboardings breaching at once, and SES's reputation does
 * not pay for it. Counted per recipient and day (a day shortened by ETAAL_TIME_SCALE) in the Limits table,
 * keyed by a hash of the address: no personal data in keys. A capped recipient is left out, logged and
 * counted (RemindersCapped); the workflow goes on.
 */
/** An address as a key: hashed, so no personal data is in keys; case and spaces do not matter. */
export const addressKey = (address: string) =>
  createHash('sha256').update(address.trim().toLowerCase(), 'utf8').digest('hex');

/** The recipients still under their cap today (each one's count taken), in the given order. */
export async function underDailyCap(recipients: readonly string[], now = new Date()): Promise<string[]> {
  const limit = readSetting('remindersPerRecipientPerDay');
  const windowSeconds = Math.max(1, Math.round((24 * 60 * 60) / readSetting('timeScale')));
  const allowed: string[] = [];
  for (const recipient of recipients) {
    const refused = await take(
      {
        table: tableName('limits'),
        key: { pk: `EMAILCAP#${addressKey(recipient)}`, sk: 'REMINDERS' },
        windowSeconds,
        limit,
      },
      now,
    );
    if (!refused) {
      allowed.push(recipient);
      continue;
    }
    logger.warn('Reminder not sent: the recipient reached the daily cap', { limit });
    metrics.addMetric('RemindersCapped', MetricUnit.Count, 1);
  }
  return allowed;
}
