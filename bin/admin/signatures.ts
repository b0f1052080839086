import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Admin commands of issue 13: the trust store of signature verification, and signing an issued PDF
 * with a test certificate of the local test CA (local mode only).
 */

export async function trustAdd(file: string): Promise<unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`--file ${file} cannot be read`);
  }
  const { addTrust } = await import('../../lambdas/signatures/trust-store');
  const entries = await addTrust(text);
  return { added: entries.map(({ pem: _pem, ...entry }) => entry) };
}

export async function trustList(): Promise<unknown> {
  const { listTrust } = await import('../../lambdas/signatures/trust-store');
  const entries = await listTrust();
  return {
    entries: entries.map(({ pem: _pem, ...entry }) => entry),
    crlLoaded: entries.some((e) => e.kind === 'crl'),
  };
}

export async function trustRemove(id: string): Promise<unknown> {
  const { removeTrust } = await import('../../lambdas/signatures/trust-store');
  if (!(await removeTrust(id))) throw new Error(`No trust store entry ${id} (see \`trust list\`).`);
  return { removed: id };
}

/**
 * Signs `input` into `output` with a fresh test certificate from the local test CA of the runtime's data
 * dir (`npm start` creates it), named `signer`.
 */
export async function signPdfCommand(input: {
  in: string;
  out: string;
  signer: string;
  email?: string;
  runtimeFile: string;
}): Promise<unknown> {
  const dataDir = dirname(input.runtimeFile);
  if (!existsSync(`${dataDir}/test-ca/root.pem`)) {
    throw new Error(`No local test CA in ${dataDir}/test-ca: start local mode with \`npm start\` first.`);
  }
  const { ensureLocalCa, localSignerP12, signPdf } = await import('../../local/signing');
  const ca = await ensureLocalCa(dataDir);
  const p12 = await localSignerP12(ca, input.signer, input.email);
  const signed = await signPdf(readFileSync(input.in), p12, { signerName: input.signer });
  writeFileSync(input.out, signed);
  return { signed: input.out, signer: input.signer, bytes: signed.length };
}
