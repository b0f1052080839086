import type { SendEmailCommand, SendEmailCommandOutput } from '@aws-sdk/client-sesv2';
import { bounded, createdOnFirstCall } from './aws';
import { SDK_CLIENT_CONFIG } from './sdk-timeouts';

/**
 * SES v2, loaded by the first email a container sends (./aws.ts `createdOnFirstCall`): of the functions
 * that send mail, several send none in most invocations (a refused request, an hour without reminders).
 * The one caller (onboarding/mailer.ts) makes its command from the same module (./ses-sdk.ts).
 */
const client = createdOnFirstCall(async () => {
  const { SESv2Client } = await import('./ses-sdk');
  return bounded(new SESv2Client(SDK_CLIENT_CONFIG));
});

export const ses = {
  send: async (command: SendEmailCommand): Promise<SendEmailCommandOutput> => (await client()).send(command),
};

/**
 * For a function whose every invocation sends mail: `await preloadSes()` at the top level of its handler
 * module loads the client in the cold start, as a static import did, rather than in the first request
 * (which would wait for it): deferring what every request needs saves nothing.
 */
export async function preloadSes(): Promise<void> {
  await client();
}
