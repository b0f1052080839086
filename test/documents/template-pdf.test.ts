import { PDFDict, PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import {
  FINGERPRINT_INFO_KEY,
  renderTemplateDocument,
  templateFingerprint,
} from '../../lambdas/documents/template-pdf';
import { documentInput, templateService } from './fixtures';

async function infoFingerprint(pdf: Uint8Array): Promise<string | undefined> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const info = doc.context.lookup(doc.context.trailerInfo.Info, PDFDict);
  return info.lookupMaybe(PDFName.of(FINGERPRINT_INFO_KEY), PDFString)?.decodeText();
}

describe('the Service Details Template PDF', () => {
  it('states the fingerprint of the template data in its metadata, and is a PDF a signing tool can append to', async () => {
    const input = documentInput();
    const rendered = await renderTemplateDocument(input);
    expect(Buffer.from(rendered.pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(rendered.fingerprint).toBe(templateFingerprint(input));
    expect(await infoFingerprint(rendered.pdf)).toBe(rendered.fingerprint);
    const doc = await PDFDocument.load(rendered.pdf);
    expect(doc.getTitle()).toContain(input.departmentName);
    expect(doc.getKeywords()).toContain(`sha256:${rendered.fingerprint}`);
    // A classic xref table, which incremental updates of signing tools extend.
    expect(Buffer.from(rendered.pdf).toString('latin1')).toMatch(/\nxref\n0 \d+\n/);
  });

  it('changes the fingerprint when any field of any service changes, and only then', async () => {
    const input = documentInput();
    const same = templateFingerprint(documentInput());
    const changedService = templateFingerprint({
      ...input,
      services: [templateService(0), { ...templateService(1), category: 'G2B' }],
    });
    const changedVersion = templateFingerprint({ ...input, templatesVersion: 2 });
    expect(same).toBe(templateFingerprint(input));
    expect(new Set([same, changedService, changedVersion]).size).toBe(3);
  });

  it('prints every word of a long description, breaking words wider than a line', async () => {
    const longWord = 'https://example.delhi.gov.in/'.padEnd(400, 'x');
    const input = documentInput({
      services: [{ ...templateService(0), serviceDescription: `${longWord} समाप्त` }],
    });
    const rendered = await renderTemplateDocument(input);
    expect(rendered.pages).toBe(1);
  });
});
