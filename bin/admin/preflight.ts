/**
 * `npm run admin -- preflight --stack <StackName>`: what a deployment still lacks before departments
 * onboard, each failing check with what to do. Against the local system (no --stack) only the data checks
 * run: the SES emulator and local mode have no account, identity or alarm topic.
 */

export interface PreflightCheck {
  readonly check: string;
  readonly ok: boolean;
  readonly detail: string;
  /** What to do, when the check fails. */
  readonly fix?: string;
}

const pass = (check: string, detail: string): PreflightCheck => ({ check, ok: true, detail });
const fail = (check: string, detail: string, fix: string): PreflightCheck => ({
  check,
  ok: false,
  detail,
  fix,
});

async function stackOutputs(stackName: string): Promise<Record<string, string>> {
  const { CloudFormationClient, DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  const client = new CloudFormationClient({});
  try {
    const { Stacks = [] } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    return Object.fromEntries(
      (Stacks[0]?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']),
    );
  } finally {
    client.destroy();
  }
}

async function sesChecks(identityDomain: string | undefined): Promise<PreflightCheck[]> {
  const { SESv2Client, GetAccountCommand, GetEmailIdentityCommand } = await import('@aws-sdk/client-sesv2');
  const ses = new SESv2Client({});
  try {
    const account = await ses.send(new GetAccountCommand({}));
    const checks = [
      account.ProductionAccessEnabled
        ? pass('SES production access', 'granted: mail goes to any address')
        : fail(
            'SES production access',
            'the account is in the SES sandbox: mail reaches verified addresses only',
            'Request production access: SES console → Account dashboard → Request production access (or `aws sesv2 put-account-details`).',
          ),
      account.SendingEnabled
        ? pass('SES sending', 'enabled')
        : fail(
            'SES sending',
            'sending is paused for the account',
            'See the SES account dashboard (reputation, review) and resume sending.',
          ),
    ];
    if (!identityDomain) {
      checks.push(
        fail(
          'SES identity',
          'the stack has no sesIdentityDomain output',
          'Redeploy the stack from this version.',
        ),
      );
      return checks;
    }
    try {
      const identity = await ses.send(new GetEmailIdentityCommand({ EmailIdentity: identityDomain }));
      checks.push(
        identity.VerifiedForSendingStatus
          ? pass(
              'SES identity',
              `${identityDomain} is verified (DKIM ${identity.DkimAttributes?.Status ?? 'unknown'})`,
            )
          : fail(
              'SES identity',
              `${identityDomain} is not verified yet (DKIM ${identity.DkimAttributes?.Status ?? 'unknown'})`,
              'Publish the three DKIM CNAME records (SES console → Identities, or the sesDkimRecord* stack outputs when the stack created the identity) and wait for verification.',
            ),
      );
    } catch (error) {
      if ((error as Error).name !== 'NotFoundException') throw error;
      checks.push(
        fail(
          'SES identity',
          `${identityDomain} does not exist in this account and region`,
          'Create and verify it in SES, or deploy with -c etaal:createSesIdentity=true to let the stack create it.',
        ),
      );
    }
    return checks;
  } finally {
    ses.destroy();
  }
}

async function alarmSubscriberCheck(topicArn: string | undefined): Promise<PreflightCheck> {
  const check = 'Alarm subscribers';
  if (!topicArn)
    return fail(check, 'the stack has no alarmTopicArn output', 'Redeploy the stack from this version.');
  const { SNSClient, ListSubscriptionsByTopicCommand } = await import('@aws-sdk/client-sns');
  const sns = new SNSClient({});
  try {
    const { Subscriptions = [] } = await sns.send(
      new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }),
    );
    const pending = Subscriptions.filter((s) => s.SubscriptionArn === 'PendingConfirmation');
    const confirmed = Subscriptions.length - pending.length;
    if (Subscriptions.length === 0) {
      return fail(
        check,
        'nobody is subscribed: alarms reach no one',
        'Deploy with -c etaal:alarmEmails=ops@example.gov.in[,…].',
      );
    }
    if (pending.length > 0) {
      return fail(
        check,
        `${confirmed} confirmed, ${pending.length} waiting for confirmation (${pending.map((s) => s.Endpoint).join(', ')})`,
        'Each address must click "Confirm subscription" in the email from AWS Notifications (resend by redeploying after removing and re-adding the address).',
      );
    }
    return pass(check, `${confirmed} confirmed`);
  } finally {
    sns.destroy();
  }
}

async function dataChecks(now: Date): Promise<PreflightCheck[]> {
  const { getHolidayCalendar, listContacts } = await import('../../lambdas/config/repository');
  const { CONTACT_ROLES } = await import('../../lambdas/config/contacts');
  const checks: PreflightCheck[] = [];
  const year = now.getUTCFullYear();
  for (const y of [year, year + 1]) {
    const found = await getHolidayCalendar(y);
    checks.push(
      found
        ? pass(`Holidays ${y}`, `${found.calendar.holidays.length} holidays (${found.origin})`)
        : fail(
            `Holidays ${y}`,
            'no holiday list: deadlines would skip weekends only',
            `npm run admin -- holidays set --year ${y} --file <gazetted holidays ${y}.json>`,
          ),
    );
  }
  const configured = new Set((await listContacts()).filter((c) => c.emails.length > 0).map((c) => c.role));
  for (const role of CONTACT_ROLES) {
    checks.push(
      configured.has(role)
        ? pass(`Contacts: ${role}`, 'set')
        : fail(
            `Contacts: ${role}`,
            'nobody: this role would get no links or escalations',
            `npm run admin -- contacts set --role ${role} --email <address>`,
          ),
    );
  }
  return checks;
}

/** Runs every check; the CLI prints them and exits 1 when any failed. */
export async function preflight(stackName: string | undefined, now = new Date()): Promise<PreflightCheck[]> {
  const checks: PreflightCheck[] = [];
  if (stackName) {
    const outputs = await stackOutputs(stackName);
    checks.push(...(await sesChecks(outputs.sesIdentityDomain)));
    checks.push(await alarmSubscriberCheck(outputs.alarmTopicArn));
  }
  checks.push(...(await dataChecks(now)));
  return checks;
}

export function reportPreflight(checks: readonly PreflightCheck[]): {
  ok: boolean;
  checks: readonly PreflightCheck[];
} {
  for (const c of checks) {
    process.stderr.write(
      `${c.ok ? 'ok  ' : 'FAIL'} ${c.check}: ${c.detail}\n${c.fix ? `     → ${c.fix}\n` : ''}`,
    );
  }
  return { ok: checks.every((c) => c.ok), checks };
}
