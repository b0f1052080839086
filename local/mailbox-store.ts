import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Keeps the local mailbox (aws-ses-v2-local's in-memory store) in a file, so `npm start` after Ctrl-C or a
 * crash shows every email it showed before: the file is read back on start, and rewritten synchronously
 * each time an email is stored, before SES answers the sender (a SIGKILL loses nothing that was sent).
 *
 * aws-ses-v2-local keeps its emails in one module-level object, `store.emails`, an array it pushes to and
 * replaces on clear; an accessor on that property puts our saving array in its place.
 */
interface SesStore {
  emails: unknown[];
}

const require = createRequire(import.meta.url);

function sesStore(): SesStore {
  const module = require('aws-ses-v2-local/dist/store.js') as { getStoreReadonly(): SesStore };
  return module.getStoreReadonly();
}

function save(file: string, emails: readonly unknown[]): void {
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, JSON.stringify({ emails }));
  renameSync(temporary, file);
}

function load(file: string): unknown[] {
  if (!existsSync(file)) return [];
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { emails?: unknown };
    return Array.isArray(parsed.emails) ? parsed.emails : [];
  } catch (error) {
    console.warn(`[local] ${file} could not be read; the mailbox starts empty:`, error);
    return [];
  }
}

/** Restores the mailbox from `file` and saves it there on every change, until `detach` is called. */
export function persistMailbox(file: string): { detach(): void } {
  const store = sesStore();
  const saving = (items: readonly unknown[]): unknown[] => {
    const array = [...items];
    array.push = (...added: unknown[]) => {
      const length = Array.prototype.push.apply(array, added);
      save(file, array);
      return length;
    };
    return array;
  };
  let emails = saving(load(file));
  Object.defineProperty(store, 'emails', {
    configurable: true,
    enumerable: true,
    get: () => emails,
    set: (value: unknown[]) => {
      emails = saving(value);
      save(file, emails);
    },
  });
  return {
    detach: () => {
      Object.defineProperty(store, 'emails', {
        configurable: true,
        enumerable: true,
        writable: true,
        value: [...emails],
      });
    },
  };
}
