import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { BasicConstraintsExtension, X509Certificate, X509Crl } from '@peculiar/x509';
import { queryAll } from '../config/repository';
import { dynamo } from '../shared/aws';
import { ValidationError } from '../shared/errors';
import { tableName } from '../shared/tables';
import type { TrustMaterial } from './verify';

/**
 * The trust store of signature verification, in the Config table (admin-managed with
 * `npm run admin -- trust add|list|remove`):
 *   TRUST / CERT#<sha256>  { pem, subject, issuer, notAfter, selfSigned }   a root or intermediate CA
 *   TRUST / CRL#<sha256>   { pem, issuer, thisUpdate, nextUpdate }          a CRL of one of them
 * Nothing is bundled: production loads the CCA India root and the licensed CAs' certificates.
 */
const TRUST_PK = 'TRUST';

export interface TrustEntry {
  readonly id: string;
  readonly kind: 'certificate' | 'crl';
  readonly subject?: string;
  readonly issuer: string;
  readonly selfSigned?: boolean;
  readonly notAfter?: string;
  readonly thisUpdate?: string;
  readonly nextUpdate?: string;
  readonly addedAt: string;
  readonly pem: string;
}

const fingerprint = (der: ArrayBuffer) => createHash('sha256').update(new Uint8Array(der)).digest('hex');

/** Adds every CA certificate and CRL in a PEM file; refuses the whole file if any block is not one. */
export async function addTrust(pemText: string, now = new Date()): Promise<TrustEntry[]> {
  const blocks = pemText.match(/-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g) ?? [];
  if (blocks.length === 0) {
    throw new ValidationError([{ field: 'file', message: 'holds no PEM certificate or CRL' }]);
  }
  const entries: TrustEntry[] = blocks.map((pem) => {
    if (/BEGIN (X509 )?CRL/.test(pem)) {
      const crl = new X509Crl(pem);
      return {
        id: `CRL#${fingerprint(crl.rawData)}`,
        kind: 'crl',
        issuer: crl.issuer,
        thisUpdate: crl.thisUpdate.toISOString(),
        ...(crl.nextUpdate ? { nextUpdate: crl.nextUpdate.toISOString() } : {}),
        addedAt: now.toISOString(),
        pem,
      };
    }
    const cert = new X509Certificate(pem);
    if (!cert.getExtension(BasicConstraintsExtension)?.ca) {
      throw new ValidationError([
        { field: 'file', message: `${cert.subject} is not a CA certificate; the trust store holds CAs only` },
      ]);
    }
    return {
      id: `CERT#${fingerprint(cert.rawData)}`,
      kind: 'certificate',
      subject: cert.subject,
      issuer: cert.issuer,
      selfSigned: cert.subject === cert.issuer,
      notAfter: cert.notAfter.toISOString(),
      addedAt: now.toISOString(),
      pem,
    };
  });
  for (const entry of entries) {
    await dynamo.send(
      new PutCommand({ TableName: tableName('config'), Item: { pk: TRUST_PK, sk: entry.id, ...entry } }),
    );
  }
  cache = undefined;
  return entries;
}

export async function listTrust(): Promise<TrustEntry[]> {
  return (await queryAll(TRUST_PK)).map(({ pk: _pk, sk: _sk, ...entry }) => entry as unknown as TrustEntry);
}

/** Removes one entry by its id (as `trust list` shows it); false when there was none. */
export async function removeTrust(id: string): Promise<boolean> {
  const { Attributes } = await dynamo.send(
    new DeleteCommand({
      TableName: tableName('config'),
      Key: { pk: TRUST_PK, sk: id },
      ReturnValues: 'ALL_OLD',
    }),
  );
  cache = undefined;
  return Attributes !== undefined;
}

/** A minute: a removed CA stops being trusted quickly, and an upload does not re-read the store. */
const CACHE_MS = 60_000;
let cache: { at: number; material: Promise<TrustMaterial> } | undefined;

export function loadTrustMaterial(): Promise<TrustMaterial> {
  if (!cache || Date.now() - cache.at > CACHE_MS) {
    const material = listTrust().then((entries) => ({
      certificates: entries.filter((e) => e.kind === 'certificate').map((e) => e.pem),
      crls: entries.filter((e) => e.kind === 'crl').map((e) => e.pem),
    }));
    material.catch(() => {
      cache = undefined;
    });
    cache = { at: Date.now(), material };
  }
  return cache.material;
}
