// @peculiar/x509 resolves its ASN.1 providers through tsyringe, which needs the reflect polyfill first.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';

type CryptoKeyPair = webcrypto.CryptoKeyPair;

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BasicConstraintsExtension,
  cryptoProvider,
  KeyUsageFlags,
  KeyUsagesExtension,
  PemConverter,
  X509Certificate,
  X509CertificateGenerator,
} from '@peculiar/x509';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { P12Signer } from '@signpdf/signer-p12';
import { SignPdf } from '@signpdf/signpdf';
import forge from 'node-forge';

/**
 * Test certificates and PDF signing, for local mode (`npm run admin -- sign-pdf`) and the tests: a CA
 * made here stands in for a licensed certifying authority, a leaf for a HoD's Class 3 DSC. Never used by
 * a deployed function; nothing here is trusted outside local mode.
 */

cryptoProvider.set(webcrypto as unknown as Parameters<typeof cryptoProvider.set>[0]);

const ALGORITHM = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
} as const;

export interface Issued {
  readonly certificate: X509Certificate;
  readonly keys: CryptoKeyPair;
}

export interface CertificateRequest {
  /** Distinguished name, e.g. `CN=R. K. Singh, E=hod@rev.example, O=GNCTD, C=IN`. */
  readonly subject: string;
  /** Signed by this CA; self-signed when absent. */
  readonly issuer?: Issued;
  readonly ca?: boolean;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  /** Default: CA -> keyCertSign|cRLSign, leaf -> digitalSignature|nonRepudiation. */
  readonly keyUsage?: number;
}

let serial = Date.now();

export async function issueCertificate(request: CertificateRequest): Promise<Issued> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const notBefore = request.notBefore ?? new Date(Date.now() - 60 * 60_000);
  const notAfter = request.notAfter ?? new Date(Date.now() + 2 * 365 * 24 * 3600_000);
  const keyUsage =
    request.keyUsage ??
    (request.ca
      ? KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign
      : KeyUsageFlags.digitalSignature | KeyUsageFlags.nonRepudiation);
  serial += 1;
  const certificate = await X509CertificateGenerator.create({
    serialNumber: serial.toString(16).padStart(16, '0'),
    subject: request.subject,
    issuer: request.issuer?.certificate.subject ?? request.subject,
    notBefore,
    notAfter,
    signingAlgorithm: ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: request.issuer?.keys.privateKey ?? keys.privateKey,
    extensions: [
      new BasicConstraintsExtension(request.ca ?? false, undefined, true),
      new KeyUsagesExtension(keyUsage, true),
    ],
  });
  return { certificate, keys };
}

async function privateKeyPem(keys: CryptoKeyPair): Promise<string> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return PemConverter.encode(pkcs8, 'PRIVATE KEY');
}

/** A PKCS#12 file (what a DSC export or a soft token holds): the key and the chain, leaf first. */
export async function toPkcs12(
  leaf: Issued,
  chain: readonly X509Certificate[],
  passphrase = '',
): Promise<Buffer> {
  const key = forge.pki.privateKeyFromPem(await privateKeyPem(leaf.keys));
  const certificates = [leaf.certificate, ...chain].map((c) =>
    forge.pki.certificateFromPem(c.toString('pem')),
  );
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, certificates, passphrase, { algorithm: '3des' });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

export interface SignOptions {
  readonly signerName: string;
  readonly reason?: string;
  readonly location?: string;
  readonly signingTime?: Date;
  readonly passphrase?: string;
}

/**
 * Signs a PDF the way desktop signing tools do: an incremental update with a signature field whose
 * adbe.pkcs7.detached signature covers the whole file but itself; the original bytes stay untouched.
 */
export async function signPdf(pdf: Uint8Array, p12: Buffer, options: SignOptions): Promise<Buffer> {
  const withPlaceholder = plainAddPlaceholder({
    pdfBuffer: Buffer.from(pdf),
    reason: options.reason ?? 'Approved: Service Details Template (e-Taal SoP step 3)',
    contactInfo: '',
    name: options.signerName,
    location: options.location ?? 'Delhi',
    ...(options.signingTime ? { signingTime: options.signingTime } : {}),
  });
  const signer = new P12Signer(p12, { passphrase: options.passphrase ?? '' });
  return new SignPdf().sign(withPlaceholder, signer, options.signingTime);
}

/** The local test CA's files under the data dir. */
export const LOCAL_CA_DIR = 'test-ca';

export interface LocalCa {
  readonly root: Issued;
  readonly rootPem: string;
}

/** Creates the local test CA under `<dataDir>/test-ca/` once; later calls load it. */
export async function ensureLocalCa(dataDir: string): Promise<LocalCa> {
  const dir = join(dataDir, LOCAL_CA_DIR);
  const certFile = join(dir, 'root.pem');
  const keyFile = join(dir, 'root-key.pem');
  if (existsSync(certFile) && existsSync(keyFile)) {
    const rootPem = readFileSync(certFile, 'utf8');
    const certificate = new X509Certificate(rootPem);
    const pkcs8 = PemConverter.decodeFirst(readFileSync(keyFile, 'utf8'));
    const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, ALGORITHM, true, ['sign']);
    const publicKey = await certificate.publicKey.export(ALGORITHM, ['verify']);
    return { root: { certificate, keys: { privateKey, publicKey } as CryptoKeyPair }, rootPem };
  }
  mkdirSync(dir, { recursive: true });
  const root = await issueCertificate({
    subject: 'CN=e-Taal Delhi LOCAL TEST CA (not trusted anywhere else), O=e-Taal Delhi local mode, C=IN',
    ca: true,
    notAfter: new Date(Date.now() + 10 * 365 * 24 * 3600_000),
  });
  const rootPem = root.certificate.toString('pem');
  writeFileSync(certFile, `${rootPem}\n`);
  writeFileSync(keyFile, `${await privateKeyPem(root.keys)}\n`, { mode: 0o600 });
  return { root, rootPem };
}

/** A one-off test DSC from the local CA for `signerName`, as a PKCS#12 with an empty passphrase. */
export async function localSignerP12(ca: LocalCa, signerName: string, email?: string): Promise<Buffer> {
  const cn = signerName.replace(/[,=+<>#;"\\]/g, ' ').trim();
  const leaf = await issueCertificate({
    subject: `CN=${cn}${email ? `, E=${email}` : ''}, O=e-Taal Delhi local mode, C=IN`,
    issuer: ca.root,
  });
  return toPkcs12(leaf, [ca.root.certificate]);
}
