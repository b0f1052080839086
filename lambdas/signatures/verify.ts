// @peculiar/x509 resolves its ASN.1 providers through tsyringe, which needs the reflect polyfill first.
import 'reflect-metadata';
import { createHash, webcrypto } from 'node:crypto';
import {
  BasicConstraintsExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectAlternativeNameExtension,
  X509Certificate,
  X509Crl,
} from '@peculiar/x509';
import { type Attribute, ContentInfo, CryptoEngine, SignedData, setEngine } from 'pkijs';

/**
 * Verifying the competent authority's signature on the issued Service Details Template (SoP step 3).
 * Pure: bytes and certificates in, a verdict out; no AWS, no network. CMS and X.509 are parsed by pkijs
 * and @peculiar/x509; the PDF is only searched for its signature dictionary (ByteRange, Contents,
 * SubFilter), which is plain text by the PDF specification.
 *
 * The checks, in order (the first that fails is the refusal):
 *  1. a PDF; 2. signed (a ByteRange and Contents); 3. the ByteRange covers the whole file but the
 *  signature itself; 4. a supported SubFilter; 5. the signed revision is the issued document: the issued
 *  bytes, unchanged, are the start of the file and the signature is in the update appended to them;
 *  6. the CMS signature is valid over the ByteRange bytes; 7. the signer's certificate chains to a trust
 *  anchor, every certificate valid at the signing time; 8. the signer's key may sign (digitalSignature or
 *  nonRepudiation); 9. not revoked, where the trust store has a CRL of its issuer.
 * Then, without refusing, the signer is compared with the competent authority on record.
 */

setEngine(
  'node',
  new CryptoEngine({
    name: 'node',
    crypto: webcrypto as ConstructorParameters<typeof CryptoEngine>[0]['crypto'],
  }),
);

export const SUPPORTED_SUBFILTERS = ['adbe.pkcs7.detached', 'ETSI.CAdES.detached'] as const;

export type RefusalCode =
  | 'not-pdf'
  | 'not-signed'
  | 'byte-range'
  | 'unsupported-subfilter'
  | 'different-document'
  | 'modified-after-signing'
  | 'bad-signature'
  | 'untrusted-signer'
  | 'certificate-not-valid'
  | 'key-usage'
  | 'revoked';

export interface Refusal {
  readonly ok: false;
  readonly code: RefusalCode;
  /** What was wrong, for the person who uploaded the file. */
  readonly message: string;
  /** What to do about it. */
  readonly advice: string;
}

export interface VerifiedSigner {
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  /** SHA-256 (hex) of the signer certificate's DER. */
  readonly certificateSha256: string;
  readonly commonName?: string;
  readonly email?: string;
  readonly notBefore: string;
  readonly notAfter: string;
}

export interface Verified {
  readonly ok: true;
  readonly signer: VerifiedSigner;
  /** The signing time the signature states (its signed attribute), else the verification time. */
  readonly signingTime: string;
  readonly signingTimeSource: 'signed-attribute' | 'verification-time';
  readonly subFilter: string;
  /** SHA-256 (hex) of the whole signed file. */
  readonly documentSha256: string;
  /** Whether a CRL of the signer's issuer was in the trust store and was consulted. */
  readonly revocationChecked: boolean;
  /** Shown to the reviewer at step 4; never a reason to refuse. */
  readonly warnings: readonly string[];
}

export type Verdict = Verified | Refusal;

export interface TrustMaterial {
  /** Trust anchors (roots) and intermediate CA certificates, DER or PEM. */
  readonly certificates: readonly (string | Uint8Array)[];
  /** CRLs, DER or PEM. */
  readonly crls?: readonly (string | Uint8Array)[];
}

export interface VerifyRequest {
  readonly signed: Uint8Array;
  readonly issued: Uint8Array;
  readonly trust: TrustMaterial;
  readonly expectedSigner: { readonly name: string; readonly email: string };
  readonly now: Date;
}

const refuse = (code: RefusalCode, message: string, advice: string): Refusal => ({
  ok: false,
  code,
  message,
  advice,
});

const SIGN_AGAIN =
  'Download the PDF from this page again, sign it with your Digital Signature Certificate without changing it, and upload the signed file.';

const latin1 = (bytes: Uint8Array, start = 0, end = bytes.length) =>
  Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');

/** The last signature dictionary's ByteRange: incremental updates put the newest signature last. */
function findByteRange(text: string): { range: [number, number, number, number]; at: number } | undefined {
  const pattern = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;
  let found: { range: [number, number, number, number]; at: number } | undefined;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    found = {
      range: [Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4])],
      at: match.index,
    };
  }
  return found;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a).equals(Buffer.from(b));
}

/** Certificates given as PEM text (one or more blocks) or DER. */
export function parseCertificates(inputs: readonly (string | Uint8Array)[]): X509Certificate[] {
  return inputs.flatMap((input) =>
    typeof input === 'string'
      ? (input.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map(
          (pem) => new X509Certificate(pem),
        )
      : [new X509Certificate(input)],
  );
}

function parseCrls(inputs: readonly (string | Uint8Array)[]): X509Crl[] {
  return inputs.flatMap((input) =>
    typeof input === 'string'
      ? (input.match(/-----BEGIN (?:X509 )?CRL-----[\s\S]+?-----END (?:X509 )?CRL-----/g) ?? []).map(
          (pem) => new X509Crl(pem),
        )
      : [new X509Crl(input)],
  );
}

const SIGNING_TIME_OID = '1.2.840.113549.1.9.5';

function signingTimeOf(attributes: readonly Attribute[] | undefined): Date | undefined {
  const value = attributes?.find((a) => a.type === SIGNING_TIME_OID)?.values[0] as
    | { toDate?: () => Date }
    | undefined;
  return value?.toDate?.();
}

const sha256Hex = (bytes: ArrayBuffer | Uint8Array) =>
  createHash('sha256')
    .update(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes))
    .digest('hex');

function describeSigner(cert: X509Certificate): VerifiedSigner {
  const commonName = cert.subjectName.getField('CN')[0];
  const san = cert.getExtension(SubjectAlternativeNameExtension);
  const email = cert.subjectName.getField('E')[0] ?? san?.names.items.find((n) => n.type === 'email')?.value;
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    serialNumber: cert.serialNumber,
    certificateSha256: sha256Hex(cert.rawData),
    ...(commonName ? { commonName } : {}),
    ...(email ? { email } : {}),
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
  };
}

/** Case, punctuation, honorifics and spacing do not make a different person. */
export function normalisePersonName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[.,]/g, ' ')
    .split(/\s+/)
    .filter((part) => part && !['dr', 'shri', 'smt', 'ms', 'mr', 'mrs', 'sh', 'km'].includes(part))
    .join(' ');
}

/** Builds the chain from the signer to a self-signed anchor of the trust store, verifying each link. */
async function chainToAnchor(
  leaf: X509Certificate,
  candidates: readonly X509Certificate[],
  anchors: readonly X509Certificate[],
): Promise<{ chain: X509Certificate[] } | Refusal> {
  const anchorPrints = new Set(
    await Promise.all(anchors.map(async (a) => sha256Hex(await a.getThumbprint()))),
  );
  const chain = [leaf];
  for (let current = leaf; chain.length <= 8; ) {
    if (anchorPrints.has(sha256Hex(await current.getThumbprint()))) return { chain };
    const issuers = candidates.filter((c) => c.subject === current.issuer);
    let next: X509Certificate | undefined;
    for (const issuer of issuers) {
      if (await current.verify({ publicKey: issuer.publicKey, signatureOnly: true })) {
        next = issuer;
        break;
      }
    }
    if (!next || next === current) {
      return refuse(
        'untrusted-signer',
        `The signer's certificate (${leaf.subject}, issued by ${leaf.issuer}) does not chain to a certifying authority this system trusts.`,
        'Sign with a Class 3 Digital Signature Certificate issued by a licensed certifying authority. If yours is one, ask the e-Taal Delhi administrators to add its CA certificates to the trust store.',
      );
    }
    const constraints = next.getExtension(BasicConstraintsExtension);
    if (!constraints?.ca) {
      return refuse(
        'untrusted-signer',
        `The certificate that issued ${current.subject} (${next.subject}) is not a CA certificate.`,
        'Sign with a Digital Signature Certificate issued by a licensed certifying authority.',
      );
    }
    chain.push(next);
    current = next;
  }
  return refuse(
    'untrusted-signer',
    'The signer certificate chain is longer than any certifying authority uses.',
    'Sign with a Class 3 Digital Signature Certificate issued by a licensed certifying authority.',
  );
}

export async function verifySignedPdf(request: VerifyRequest): Promise<Verdict> {
  const { signed, issued, now } = request;
  if (latin1(signed, 0, Math.min(signed.length, 5)) !== '%PDF-') {
    return refuse('not-pdf', 'The uploaded file is not a PDF.', SIGN_AGAIN);
  }
  const text = latin1(signed);
  const found = findByteRange(text);
  if (!found) {
    return refuse(
      'not-signed',
      'The PDF has no digital signature.',
      'Open the PDF in your signing tool (for example Adobe Acrobat Reader: Tools, Certificates, Digitally Sign), sign it with your Digital Signature Certificate, save, and upload the signed file.',
    );
  }
  const [start, firstLength, secondStart, secondLength] = found.range;
  const contentsHex = text.slice(start + firstLength, secondStart);
  if (
    start !== 0 ||
    secondStart <= firstLength ||
    secondStart + secondLength !== signed.length ||
    !/^<[0-9A-Fa-f\s]*>$/.test(contentsHex)
  ) {
    return secondStart + secondLength < signed.length && start === 0
      ? refuse(
          'modified-after-signing',
          `The file was changed after it was signed: ${signed.length - secondStart - secondLength} bytes follow the signed part.`,
          SIGN_AGAIN,
        )
      : refuse(
          'byte-range',
          'The signature does not cover the whole file except the signature itself (its ByteRange is malformed).',
          SIGN_AGAIN,
        );
  }
  const dictionary = text.slice(Math.max(0, text.lastIndexOf('<<', found.at) - 2048), firstLength);
  const subFilter = /\/SubFilter\s*\/([A-Za-z0-9.#_-]+)/.exec(
    dictionary.slice(dictionary.lastIndexOf('/SubFilter')),
  )?.[1];
  if (!subFilter || !(SUPPORTED_SUBFILTERS as readonly string[]).includes(subFilter)) {
    return refuse(
      'unsupported-subfilter',
      `The signature format ${subFilter ?? '(none)'} is not supported; supported are ${SUPPORTED_SUBFILTERS.join(' and ')}.`,
      'Sign with a PDF signing tool that creates standard PDF signatures (PAdES / PKCS#7 detached), such as Adobe Acrobat Reader.',
    );
  }
  if (
    signed.length <= issued.length ||
    !equalBytes(signed.subarray(0, issued.length), issued) ||
    firstLength < issued.length
  ) {
    const fingerprint = /\/EtaalTemplateSha256\s*\(([0-9a-f]{64})\)/.exec(text)?.[1];
    const issuedFingerprint = /\/EtaalTemplateSha256\s*\(([0-9a-f]{64})\)/.exec(latin1(issued))?.[1];
    return refuse(
      'different-document',
      fingerprint && fingerprint !== issuedFingerprint
        ? 'The signed PDF is a different Service Details Template (another version or onboarding) from the one this link asks you to approve.'
        : 'The signed PDF is not the document issued for this approval: its content was changed before signing, or it was re-saved instead of signed as an incremental update.',
      SIGN_AGAIN,
    );
  }

  const signedBytes = Buffer.concat([
    Buffer.from(signed.subarray(start, start + firstLength)),
    Buffer.from(signed.subarray(secondStart, secondStart + secondLength)),
  ]);
  const der = Buffer.from(contentsHex.slice(1, -1).replace(/\s/g, ''), 'hex');
  let signedData: SignedData;
  try {
    const contentInfo = ContentInfo.fromBER(der);
    if (contentInfo.contentType !== ContentInfo.SIGNED_DATA) throw new Error('not SignedData');
    signedData = new SignedData({ schema: contentInfo.content });
  } catch {
    return refuse(
      'bad-signature',
      'The signature in the PDF is damaged: it is not a valid CMS signature.',
      SIGN_AGAIN,
    );
  }
  const certificates = parseCertificates(
    (signedData.certificates ?? []).flatMap((c) =>
      'tbsView' in c ? [new Uint8Array(c.toSchema().toBER())] : [],
    ),
  );
  let signerCert: X509Certificate | undefined;
  try {
    const result = await signedData.verify({
      signer: 0,
      data: signedBytes.buffer.slice(signedBytes.byteOffset, signedBytes.byteOffset + signedBytes.length),
      checkChain: false,
      extendedMode: true,
    });
    if (!result.signatureVerified || !result.signerCertificate) throw new Error('not verified');
    signerCert = new X509Certificate(result.signerCertificate.toSchema().toBER());
  } catch {
    return refuse(
      'bad-signature',
      'The signature does not match the signed bytes: the file was altered after signing, or the signature is broken.',
      SIGN_AGAIN,
    );
  }
  const attributeTime = signingTimeOf(signedData.signerInfos[0]?.signedAttrs?.attributes);
  const signingTime = attributeTime ?? now;

  const trustCerts = parseCertificates(request.trust.certificates);
  const anchors = trustCerts.filter((c) => c.subject === c.issuer);
  const chain = await chainToAnchor(signerCert, [...trustCerts, ...certificates], anchors);
  if ('ok' in chain) return chain;
  for (const cert of chain.chain) {
    if (signingTime < cert.notBefore || signingTime > cert.notAfter) {
      return refuse(
        'certificate-not-valid',
        `The certificate ${cert.subject} was not valid when the document was signed (${signingTime.toISOString()}); it is valid from ${cert.notBefore.toISOString()} to ${cert.notAfter.toISOString()}.`,
        'Sign with a Digital Signature Certificate that is currently valid (renew an expired one with your certifying authority).',
      );
    }
  }
  const usage = signerCert.getExtension(KeyUsagesExtension);
  if (!usage || (usage.usages & (KeyUsageFlags.digitalSignature | KeyUsageFlags.nonRepudiation)) === 0) {
    return refuse(
      'key-usage',
      "The signer's certificate is not meant for signing documents (its key usage allows neither digital signature nor non-repudiation).",
      'Sign with the signing certificate of your DSC token (Class 3 DSCs come as a signing and an encryption certificate; use the signing one).',
    );
  }

  const issuerCert = chain.chain[1];
  const crls = parseCrls(request.trust.crls ?? []).filter((crl) => crl.issuer === signerCert.issuer);
  let revocationChecked = false;
  for (const crl of crls) {
    if (!issuerCert || !(await crl.verify({ publicKey: issuerCert.publicKey }))) continue;
    revocationChecked = true;
    const entry = crl.entries.find((e) => e.serialNumber === signerCert.serialNumber);
    if (entry) {
      return refuse(
        'revoked',
        `The signer's certificate was revoked by its certifying authority on ${entry.revocationDate.toISOString()}.`,
        'Sign with a valid Digital Signature Certificate.',
      );
    }
  }

  const signer = describeSigner(signerCert);
  const warnings: string[] = [];
  const expected = request.expectedSigner;
  const nameMatches =
    signer.commonName !== undefined &&
    normalisePersonName(signer.commonName) === normalisePersonName(expected.name);
  const emailMatches =
    signer.email !== undefined && signer.email.toLowerCase() === expected.email.toLowerCase();
  if (!nameMatches && !emailMatches) {
    warnings.push(
      `Signed by ${signer.commonName ?? signer.subject}${signer.email ? ` <${signer.email}>` : ''}, but the competent authority on record is ${expected.name} <${expected.email}>.`,
    );
  }
  if (!attributeTime) warnings.push('The signature states no signing time; the time of upload was used.');
  else if (attributeTime.getTime() > now.getTime() + 5 * 60_000) {
    warnings.push(`The signature claims a signing time in the future (${attributeTime.toISOString()}).`);
  }
  if (!revocationChecked)
    warnings.push("Revocation was not checked: the trust store has no CRL of the signer's CA.");
  return {
    ok: true,
    signer,
    signingTime: signingTime.toISOString(),
    signingTimeSource: attributeTime ? 'signed-attribute' : 'verification-time',
    subFilter,
    documentSha256: sha256Hex(signed),
    revocationChecked,
    warnings,
  };
}
