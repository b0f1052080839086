import 'reflect-metadata';
import { KeyUsageFlags, X509CrlGenerator } from '@peculiar/x509';
import { type Issued, issueCertificate, signPdf, toPkcs12 } from '../../local/signing';

/** A small PKI made in the test: a trusted root with an intermediate, and the leaves the cases need. */
export interface TestPki {
  readonly root: Issued;
  readonly intermediate: Issued;
  readonly leaf: Issued;
  readonly expiredLeaf: Issued;
  readonly noSigningUsageLeaf: Issued;
  readonly untrustedRoot: Issued;
  readonly untrustedLeaf: Issued;
  /** What the admin would load: the root and the intermediate, PEM. */
  readonly trustPems: string[];
}

const DAY = 24 * 3600_000;

export async function createTestPki(signer: { name: string; email: string }): Promise<TestPki> {
  const root = await issueCertificate({ subject: 'CN=Test Root CA 2026, O=Test CCA, C=IN', ca: true });
  const intermediate = await issueCertificate({
    subject: 'CN=Test Sub-CA for Class 3, O=Test Licensed CA, C=IN',
    issuer: root,
    ca: true,
  });
  const dn = `CN=${signer.name}, E=${signer.email}, O=Government of NCT of Delhi, C=IN`;
  const leaf = await issueCertificate({ subject: dn, issuer: intermediate });
  const expiredLeaf = await issueCertificate({
    subject: dn,
    issuer: intermediate,
    notBefore: new Date(Date.now() - 800 * DAY),
    notAfter: new Date(Date.now() - 70 * DAY),
  });
  const noSigningUsageLeaf = await issueCertificate({
    subject: dn,
    issuer: intermediate,
    keyUsage: KeyUsageFlags.keyEncipherment | KeyUsageFlags.dataEncipherment,
  });
  const untrustedRoot = await issueCertificate({ subject: 'CN=Someone Else Root, C=IN', ca: true });
  const untrustedLeaf = await issueCertificate({ subject: dn, issuer: untrustedRoot });
  return {
    root,
    intermediate,
    leaf,
    expiredLeaf,
    noSigningUsageLeaf,
    untrustedRoot,
    untrustedLeaf,
    trustPems: [root.certificate.toString('pem'), intermediate.certificate.toString('pem')],
  };
}

export async function signWith(
  pdf: Uint8Array,
  leaf: Issued,
  chain: Issued[],
  name = 'Signer',
): Promise<Buffer> {
  const p12 = await toPkcs12(
    leaf,
    chain.map((c) => c.certificate),
  );
  return signPdf(pdf, p12, { signerName: name });
}

export async function crlRevoking(issuer: Issued, revoked: Issued[]): Promise<string> {
  const crl = await X509CrlGenerator.create({
    issuer: issuer.certificate.subject,
    signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as { name: string },
    signingKey: issuer.keys.privateKey,
    nextUpdate: new Date(Date.now() + 7 * DAY),
    entries: revoked.map((r) => ({ serialNumber: r.certificate.serialNumber, revocationDate: new Date() })),
  });
  return crl.toString('pem');
}
