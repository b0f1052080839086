import { beforeAll, describe, expect, it } from 'vitest';
import { renderTemplateDocument } from '../../lambdas/documents/template-pdf';
import { type Verdict, verifySignedPdf } from '../../lambdas/signatures/verify';
import { documentInput } from '../documents/fixtures';
import { createTestPki, crlRevoking, signWith, type TestPki } from './pki';

const AUTHORITY = { name: 'R. K. Singh', email: 'hod@rev.example' };
let pki: TestPki;
let issued: Uint8Array;
let signed: Buffer;

const verify = (file: Uint8Array, options: { crls?: string[]; issuedPdf?: Uint8Array } = {}) =>
  verifySignedPdf({
    signed: file,
    issued: options.issuedPdf ?? issued,
    trust: { certificates: pki.trustPems, crls: options.crls ?? [] },
    expectedSigner: AUTHORITY,
    now: new Date(),
  });

function refusal(verdict: Verdict): string {
  if (verdict.ok) throw new Error('expected a refusal');
  expect(verdict.message.length).toBeGreaterThan(20);
  expect(verdict.advice.length).toBeGreaterThan(20);
  return verdict.code;
}

beforeAll(async () => {
  pki = await createTestPki({ name: 'Dr. R. K. Singh', email: 'hod@rev.example' });
  issued = (await renderTemplateDocument(documentInput())).pdf;
  signed = await signWith(issued, pki.leaf, [pki.intermediate, pki.root], 'R. K. Singh');
}, 60_000);

describe('verifying the signed Service Details Template', () => {
  it('accepts the issued PDF signed by a trusted, valid signing certificate, and names the signer', async () => {
    const verdict = await verify(signed);
    expect(verdict.ok).toBe(true);
    if (!verdict.ok) return;
    expect(verdict.signer.commonName).toBe('Dr. R. K. Singh');
    expect(verdict.signer.issuer).toContain('Test Sub-CA for Class 3');
    expect(verdict.signer.serialNumber).toBe(pki.leaf.certificate.serialNumber);
    expect(verdict.signer.certificateSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(verdict.subFilter).toBe('adbe.pkcs7.detached');
    expect(verdict.signingTimeSource).toBe('signed-attribute');
    expect(verdict.revocationChecked).toBe(false);
    // The name matches the competent authority on record (honorifics and punctuation aside).
    expect(verdict.warnings.some((w) => w.includes('competent authority'))).toBe(false);
  });

  it('warns, without refusing, when the signer is not the competent authority on record', async () => {
    const verdict = await verifySignedPdf({
      signed,
      issued,
      trust: { certificates: pki.trustPems },
      expectedSigner: { name: 'Meena Gupta', email: 'secy@rev.example' },
      now: new Date(),
    });
    expect(verdict.ok).toBe(true);
    if (verdict.ok)
      expect(verdict.warnings.join(' ')).toContain('competent authority on record is Meena Gupta');
  });

  it('checks revocation when the trust store has a CRL of the issuer, and says so', async () => {
    const clean = await verify(signed, { crls: [await crlRevoking(pki.intermediate, [pki.expiredLeaf])] });
    expect(clean).toMatchObject({ ok: true, revocationChecked: true });
    const revoked = await verify(signed, { crls: [await crlRevoking(pki.intermediate, [pki.leaf])] });
    expect(refusal(revoked)).toBe('revoked');
  });

  it('refuses an unsigned PDF and a file that is not a PDF', async () => {
    expect(refusal(await verify(issued))).toBe('not-signed');
    expect(refusal(await verify(new TextEncoder().encode('<html>not a pdf</html>')))).toBe('not-pdf');
  });

  it('refuses signatures by an untrusted, an expired and a non-signing certificate', async () => {
    const untrusted = await signWith(issued, pki.untrustedLeaf, [pki.untrustedRoot]);
    expect(refusal(await verify(untrusted))).toBe('untrusted-signer');
    const expired = await signWith(issued, pki.expiredLeaf, [pki.intermediate, pki.root]);
    expect(refusal(await verify(expired))).toBe('certificate-not-valid');
    const wrongUsage = await signWith(issued, pki.noSigningUsageLeaf, [pki.intermediate, pki.root]);
    expect(refusal(await verify(wrongUsage))).toBe('key-usage');
  });

  it('refuses a signed PDF of another version of the templates', async () => {
    const version2 = (await renderTemplateDocument(documentInput({ templatesVersion: 2 }))).pdf;
    const signedVersion2 = await signWith(version2, pki.leaf, [pki.intermediate, pki.root]);
    const verdict = await verify(signedVersion2);
    expect(refusal(verdict)).toBe('different-document');
    expect(!verdict.ok && verdict.message).toContain('another version');
  });

  it('refuses bytes appended after signing, and a broken signature', async () => {
    const appended = Buffer.concat([signed, Buffer.from('\n% appended after signing\n')]);
    expect(refusal(await verify(appended))).toBe('modified-after-signing');
    const text = signed.toString('latin1');
    const reasonAt = text.lastIndexOf('/Reason');
    const tampered = Buffer.from(signed);
    tampered[reasonAt + 10] = (tampered[reasonAt + 10] ?? 0) ^ 0x01;
    expect(refusal(await verify(tampered))).toBe('bad-signature');
    const contentsAt = text.lastIndexOf('/Contents <') + 40;
    const garbled = Buffer.from(signed);
    garbled.write('00', contentsAt, 'latin1');
    expect(['bad-signature']).toContain(refusal(await verify(garbled)));
  });
});
