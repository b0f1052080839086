import type { Server } from 'node:http';
import sesModule from 'aws-ses-v2-local';
import { persistMailbox } from './mailbox-store';
import { close, LOOPBACK, urlOf } from './net';

export interface LocalSes {
  /** The SES v2 endpoint, which also serves the mail viewer at `/` and the emails as JSON at `/store`. */
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

type StartServer = (config?: { host?: string; port?: number }) => Promise<Server>;

/** aws-ses-v2-local is CommonJS: under Node's ESM loader its default export arrives one level down. */
function startServerFunction(): StartServer {
  const imported = sesModule as unknown as StartServer | { default: StartServer };
  return typeof imported === 'function' ? imported : imported.default;
}

/**
 * aws-ses-v2-local's own default port: the mailbox of `npm start` stays at http://127.0.0.1:8005 across
 * restarts (MAILBOX_PORT overrides it).
 */
export const DEFAULT_MAILBOX_PORT = 8005;

/** Starts the SES emulator; with `mailboxFile`, the mailbox is restored from and kept in that file. */
export async function startSes(port = 0, mailboxFile?: string): Promise<LocalSes> {
  const server = await startServerFunction()({ host: LOOPBACK, port });
  // It resolves on listen errors too (Express 5 hands the error to the listen callback).
  const address = server.address();
  if (!server.listening || !address || typeof address === 'string') {
    throw new Error(`aws-ses-v2-local could not listen on ${LOOPBACK}:${port}`);
  }
  const boundPort = address.port;
  const endpoint = urlOf(boundPort);
  // Its mailbox is module state: a system started after another in the same process starts empty.
  await fetch(`${endpoint}/clear-store`, { method: 'POST' });
  const persisted = mailboxFile ? persistMailbox(mailboxFile) : undefined;
  return {
    endpoint,
    port: boundPort,
    stop: async () => {
      persisted?.detach();
      await close(server);
    },
  };
}
