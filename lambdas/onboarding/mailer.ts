import { getContacts } from '../config/repository';
import type { Role } from '../core/sop';
import type { Onboarding } from '../core/workflow';
import { logger, signalOperator } from '../shared/observability';
import { ses } from '../shared/ses';
import { readSetting } from '../shared/settings';
import { sendWithRetry } from './email-delivery';
import type { Email } from './emails';

/**
 * Who gets mail for a role: the department's own people from the onboarding, the DeGS/e-Taal roles and
 * the escalation contact from the Config table (admins change them without a deploy). A role nobody was
 * configured for gets no mail: that is logged and counted (ContactsMissing) so an admin sets it, and the
 * step's deadline and escalation still run.
 */
export async function recipientsFor(role: Role | 'escalation', onboarding: Onboarding): Promise<string[]> {
  if (role === 'department') return [onboarding.nodalOfficer.email];
  if (role === 'competentAuthority') return [onboarding.competentAuthority.email];
  if (role === 'system') return [];
  const contacts = await getContacts(role);
  if (!contacts || contacts.emails.length === 0) {
    reportContactsMissing(role);
    return [];
  }
  return [...contacts.emails];
}

/** Nobody to ask for a role: logged and counted (ContactsMissing) so an admin sets the contacts. */
export function reportContactsMissing(role: string): void {
  logger.error('No contacts configured for a role: set them with `npm run admin -- contacts set`', { role });
  signalOperator('ContactsMissing', { role });
}

/**
 * Sends one email through SES v2 (HTML and text), retried with backoff (./email-delivery); throws
 * EmailNotSent when it cannot. No recipients: nothing to send.
 */
export async function sendEmail(to: readonly string[], email: Email): Promise<void> {
  if (to.length === 0) return;
  const from = readSetting('sesFromAddress');
  const configurationSet = readSetting('sesConfigurationSet');
  // Loaded with the SES client by the first email (../shared/ses.ts).
  const { SendEmailCommand } = await import('../shared/ses-sdk');
  const command = new SendEmailCommand({
    FromEmailAddress: from,
    Destination: { ToAddresses: [...to] },
    Content: {
      Simple: {
        Subject: { Data: email.subject, Charset: 'UTF-8' },
        Body: {
          Html: { Data: email.html, Charset: 'UTF-8' },
          Text: { Data: email.text, Charset: 'UTF-8' },
        },
      },
    },
    ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
  });
  await sendWithRetry(() => ses.send(command));
}
