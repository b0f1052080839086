import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { LOCAL_CREDENTIALS } from './aws';
import { LOOPBACK, urlOf } from './net';

export interface LocalS3 {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * s3rver: an S3 API on the file system. Objects live under `directory` (kept across restarts when it is
 * the data dir), or in a temporary directory removed on stop. The buckets exist from the start.
 */
/**
 * s3rver checks signatures against its own account registry, which knows only its S3RVER key; handlers
 * sign with local mode's credentials (AWS_ACCESS_KEY_ID=local), so that key pair is added to it.
 */
function trustCredentials(credentials: { accessKeyId: string; secretAccessKey: string }): void {
  const account = createRequire(import.meta.url)('s3rver/lib/models/account.js') as {
    DUMMY_ACCOUNT: { createKeyPair(accessKeyId: string, secretAccessKey: string): void };
  };
  account.DUMMY_ACCOUNT.createKeyPair(credentials.accessKeyId, credentials.secretAccessKey);
}

export async function startS3(
  directory: string | null,
  buckets: readonly string[],
  port = 0,
  credentials: { accessKeyId: string; secretAccessKey: string } = LOCAL_CREDENTIALS,
): Promise<LocalS3> {
  trustCredentials(credentials);
  const dir = directory ?? mkdtempSync(join(tmpdir(), 'etaal-s3-'));
  const server = new S3rver({
    address: LOOPBACK,
    port,
    directory: dir,
    silent: true,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
  });
  const { port: boundPort } = (await server.run()) as { port: number };
  return {
    endpoint: urlOf(boundPort),
    port: boundPort,
    stop: async () => {
      await server.close();
      if (!directory) rmSync(dir, { recursive: true, force: true });
    },
  };
}
