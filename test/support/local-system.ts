import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { type LocalSystem, type LocalSystemOptions, startLocalSystem } from '../../local/system';

export type { LocalSystem, LocalSystemOptions };

export interface LocalSystemFixture {
  /** The running system (only inside tests and hooks: it starts in beforeAll). */
  readonly system: LocalSystem;
  /** `fetch` against the API: `api('/v1/...', init)`. */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** Every email sent so far. */
  emails(): Promise<MailboxEmail[]>;
  /** A DynamoDB document client on the local tables (names in `system.tables`). */
  dynamo(): DynamoDBDocumentClient;
  /** A Step Functions client on the local endpoint. */
  sfn(): SFNClient;
}

/**
 * Starts the whole local system for one vitest file or suite (beforeAll) and stops it after (afterAll):
 * random free ports on 127.0.0.1, everything in memory unless `dataDir` is given, handler logs at WARN,
 * workflow Retry pauses of 0 ms (`retryIntervalMs`) so a retried failure does not cost 10 s or more, and
 * the ASL not checked against its schemas again (`validateDefinition`: test/onboarding/asl.test.ts does).
 * One system per process at a time: call it once per test file (or per describe, run sequentially).
 * Import modules of the system (repositories, handlers) after it starts (`await import(...)` in a test or
 * beforeAll) when they read environment variables at load time; AWS clients alone would be fine, as they
 * resolve the local endpoints on first use.
 */
export function withLocalSystem(options: LocalSystemOptions = {}): LocalSystemFixture {
  let system: LocalSystem | undefined;
  const clients: { dynamo?: DynamoDBDocumentClient; sfn?: SFNClient } = {};
  const current = () => {
    if (!system) throw new Error('The local system runs only inside tests (it starts in beforeAll)');
    return system;
  };
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

  beforeAll(async () => {
    system = await startLocalSystem({
      port: 0,
      dataDir: null,
      retryIntervalMs: 0,
      // test/onboarding/asl.test.ts checks the ASL against its schemas; each system would spend 2 s again.
      validateDefinition: false,
      ...options,
      env: {
        POWERTOOLS_LOG_LEVEL: 'WARN',
        // Tests create many onboardings for one department; the quotas have their own tests (test/abuse/),
        // which set their own values through `env`.
        MAX_OPEN_ONBOARDINGS: '1000',
        ONBOARDINGS_PER_HOUR: '1000',
        REMINDERS_PER_RECIPIENT_PER_DAY: '1000',
        ...options.env,
      },
    });
  });
  afterAll(async () => {
    clients.dynamo?.destroy();
    clients.sfn?.destroy();
    await system?.stop();
    system = undefined;
  });

  return {
    get system() {
      return current();
    },
    api: (path, init) => fetch(`${current().apiUrl}${path}`, init),
    emails: () => readMailbox(current().mailboxUrl),
    dynamo: () => {
      clients.dynamo ??= DynamoDBDocumentClient.from(
        new DynamoDBClient({ endpoint: current().endpoints.dynamodb, region: current().region, credentials }),
        { marshallOptions: { removeUndefinedValues: true } },
      );
      return clients.dynamo;
    },
    sfn: () => {
      clients.sfn ??= new SFNClient({
        endpoint: current().endpoints.sfn,
        region: current().region,
        credentials,
      });
      return clients.sfn;
    },
  };
}

export interface MailboxEmail {
  readonly messageId: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly bcc: readonly string[];
  readonly replyTo: readonly string[];
  readonly subject: string;
  readonly html: string | undefined;
  readonly text: string | undefined;
  /** Epoch seconds the emulator received it. */
  readonly at: number;
}

interface StoredEmail {
  messageId: string;
  from: string;
  replyTo?: string[];
  destination: { to?: string[]; cc?: string[]; bcc?: string[] };
  subject: string;
  body: { html?: string; text?: string };
  at: number;
}

/** The emails aws-ses-v2-local received (its `GET /store`), oldest first. */
export async function readMailbox(mailboxUrl: string): Promise<MailboxEmail[]> {
  const response = await fetch(`${mailboxUrl}/store`);
  if (!response.ok) throw new Error(`GET ${mailboxUrl}/store answered ${response.status}`);
  const store = (await response.json()) as { emails: StoredEmail[] };
  return store.emails.map((email) => ({
    messageId: email.messageId,
    from: email.from,
    to: email.destination.to ?? [],
    cc: email.destination.cc ?? [],
    bcc: email.destination.bcc ?? [],
    replyTo: email.replyTo ?? [],
    subject: email.subject,
    html: email.body.html,
    text: email.body.text,
    at: email.at,
  }));
}

/**
 * Polls `probe` until it returns something other than undefined (for effects that happen asynchronously,
 * such as a workflow task sending an email); fails with `description` after `timeoutMs`.
 */
export async function eventually<T>(
  description: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
