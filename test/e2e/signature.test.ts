import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/local-system';
import {
  admin,
  approvalLink,
  configureContacts,
  createBody,
  description,
  mailFor,
  PEOPLE,
  submitTemplates,
  withSystemOnDisk,
} from './onboarding-support';

// biome-ignore lint/suspicious/noExplicitAny: API answers are asserted field by field
type Json = Record<string, any>;

/**
 * Step 3 with a digital signature, in local mode over HTTP: the department downloads the issued PDF,
 * the competent authority downloads it from the approval page, signs it with `npm run admin -- sign-pdf`
 * (a test certificate of the local test CA) and uploads it; wrong uploads are refused with a page and
 * change nothing; the status, the audit trail and the step-4 page name the signer.
 */
const { dataDir, local } = withSystemOnDisk('etaal-sign-');

async function uploadForm(url: string, nonce: string, file: Uint8Array, type = 'application/pdf') {
  const form = new FormData();
  form.set('nonce', nonce);
  form.set('file', new Blob([file], { type }), 'signed.pdf');
  const response = await fetch(`${url}/signed-pdf`, { method: 'POST', body: form });
  return { status: response.status, text: await response.text() };
}

describe('step 3 signed with a digital signature (local mode)', () => {
  it('approves only with a verified signature on the issued PDF, and shows the signer afterwards', async () => {
    const runtimeFile = local.system.runtimeFile as string;
    const { apiKey } = (await admin(runtimeFile, [
      'department',
      'add',
      '--code',
      'REV',
      '--name',
      'राजस्व विभाग',
    ])) as {
      apiKey: string;
    };
    await configureContacts(runtimeFile);
    // `npm start` trusts its own test CA, in the local trust store only.
    const trust = (await admin(runtimeFile, ['trust', 'list'])) as Json;
    expect(trust.entries).toEqual([
      expect.objectContaining({ kind: 'certificate', subject: expect.stringContaining('LOCAL TEST CA') }),
    ]);
    expect(trust.crlLoaded).toBe(false);
    const api = (path: string, init: RequestInit = {}) =>
      local.api(path, {
        ...init,
        headers: { 'x-api-key': apiKey, 'content-type': 'application/json', ...(init.headers ?? {}) },
      });
    const created = await api('/v1/onboardings', {
      method: 'POST',
      body: JSON.stringify(createBody(['आय प्रमाणपत्र', 'Trade licence'])),
    });
    const { onboardingId } = (await created.json()) as { onboardingId: string };
    const templates = ['आय प्रमाणपत्र', 'Trade licence'].map((serviceName) => ({
      serviceName,
      serviceDescription: description(120),
      deliveryMode: 'Online',
      category: 'G2C',
      missionModeProject: false,
    }));
    const submitted = await submitTemplates(api, onboardingId, templates);
    const accepted = (await submitted.json()) as Json;
    expect(accepted.document.url).toBe(`/v1/onboardings/${onboardingId}/templates/1/document.pdf`);

    // The department downloads the issued PDF through its API.
    const departmentCopy = await api(accepted.document.url);
    expect(departmentCopy.status).toBe(200);
    expect(departmentCopy.headers.get('content-type')).toBe('application/pdf');
    const issued = new Uint8Array(await departmentCopy.arrayBuffer());
    expect(Buffer.from(issued.subarray(0, 5)).toString()).toBe('%PDF-');

    // The HoD's page offers the download and the upload; the PDF from the link is the same document.
    const hodLink = approvalLink(await mailFor(local, PEOPLE.hod, 3));
    const pageHtml = await (await fetch(hodLink)).text();
    expect(pageHtml).toContain('Sign the document');
    const nonce = /name="nonce" value="([^"]+)"/.exec(pageHtml)?.[1] as string;
    const fromLink = new Uint8Array(await (await fetch(`${hodLink}/document.pdf`)).arrayBuffer());
    expect(Buffer.from(fromLink).equals(Buffer.from(issued))).toBe(true);

    // Refusals: each is a page saying what was wrong; nothing changes.
    const before = (await (await api(`/v1/onboardings/${onboardingId}`)).json()) as Json;
    const unsigned = await uploadForm(hodLink, nonce, issued);
    expect(unsigned.status).toBe(422);
    expect(unsigned.text).toContain('The PDF has no digital signature.');
    const notPdf = await uploadForm(hodLink, nonce, new TextEncoder().encode('hello'), 'text/plain');
    expect(notPdf.status).toBe(422);
    expect(notPdf.text).toContain('not a PDF');
    const oversize = await fetch(`${hodLink}/signed-pdf?nonce=${encodeURIComponent(nonce)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf' },
      body: Buffer.concat([Buffer.from(issued), Buffer.alloc(4 * 1024 * 1024)]),
    });
    expect(oversize.status).toBe(413);
    const badNonce = await uploadForm(hodLink, 'forged', issued);
    expect(badNonce.status).toBe(403);
    // Where the deployment requires a signature, the approve button does not approve step 3.
    process.env.HOD_SIGNATURE_POLICY = 'required';
    try {
      const click = await fetch(hodLink, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ nonce, decision: 'approve' }),
      });
      expect(click.status).toBe(422);
      expect(await click.text()).toContain('A digital signature is required');
    } finally {
      process.env.HOD_SIGNATURE_POLICY = 'optional';
    }
    expect((await (await api(`/v1/onboardings/${onboardingId}`)).json()) as Json).toEqual(before);

    // Signed with the admin command, uploaded: step 3 completes.
    const issuedFile = join(dataDir, 'issued.pdf');
    const signedFile = join(dataDir, 'signed.pdf');
    writeFileSync(issuedFile, issued);
    await admin(runtimeFile, [
      'sign-pdf',
      '--in',
      issuedFile,
      '--out',
      signedFile,
      '--signer',
      'R. K. Singh',
    ]);
    const appended = await uploadForm(
      hodLink,
      nonce,
      Buffer.concat([readFileSync(signedFile), Buffer.from('%%tail\n')]),
    );
    expect(appended.status).toBe(422);
    expect(appended.text).toContain('changed after it was signed');
    const done = await uploadForm(hodLink, nonce, readFileSync(signedFile));
    expect(done.status, done.text).toBe(200);
    expect(done.text).toContain('your decision is recorded');

    // Status, audit and the step-4 page name the signer.
    const after = await eventually('step 3 to complete', async () => {
      const s = (await (await api(`/v1/onboardings/${onboardingId}`)).json()) as Json;
      return s.currentStep >= 4 ? s : undefined;
    });
    expect(after.document.signed.signerSubject).toContain('CN=R. K. Singh');
    expect(after.document.signed.signerIssuer).toContain('LOCAL TEST CA');
    expect(after.steps[2].decisions[0].comment).toContain('signed by CN=R. K. Singh');
    const signedCopy = await api(after.document.signed.url);
    expect(Buffer.from(await signedCopy.arrayBuffer()).equals(readFileSync(signedFile))).toBe(true);

    const dynamo = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: local.system.endpoints.dynamodb, region: local.system.region }),
    );
    const { Items = [] } = await dynamo.send(
      new QueryCommand({
        TableName: local.system.tables.onboardings,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
        ExpressionAttributeValues: { ':pk': `ONB#${onboardingId}`, ':audit': 'AUDIT#' },
      }),
    );
    const signature = Items.find((item) => item.type === 'approval.signed');
    expect(signature?.detail).toMatchObject({
      signerSubject: expect.stringContaining('R. K. Singh'),
      signerSerial: expect.any(String),
      signerCertificateSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      documentSha256: after.document.signed.sha256,
      revocationChecked: false,
    });
    dynamo.destroy();

    const reviewPage = await (
      await fetch(approvalLink(await mailFor(local, PEOPLE.etaalNodalContact, 4)))
    ).text();
    expect(reviewPage).toMatch(/signed by CN=R\. K\. Singh[^<]*\(CN=e-Taal Delhi LOCAL TEST CA/);
    expect(reviewPage).toContain('signed.pdf');

    // Returned at step 4 and amended: the HoD signs the new version before the second review.
    const reviewNonce = /name="nonce" value="([^"]+)"/.exec(reviewPage)?.[1] as string;
    const returned = await fetch(approvalLink(await mailFor(local, PEOPLE.etaalNodalContact, 4)), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ nonce: reviewNonce, decision: 'return', comment: 'Trade licence is G2B.' }),
    });
    expect(returned.status).toBe(200);
    const amended = await eventually('the workflow to take the amended templates', async () => {
      const r = await api(`/v1/onboardings/${onboardingId}/templates`, {
        method: 'PUT',
        body: JSON.stringify({
          services: templates.map((t, i) => (i === 1 ? { ...t, category: 'G2B' } : t)),
        }),
      });
      return r.status === 409 ? undefined : r;
    });
    expect(amended.status).toBe(202);
    const amendedUrl = ((await amended.json()) as Json).document.url as string;
    expect(amendedUrl).toBe(`/v1/onboardings/${onboardingId}/templates/2/document.pdf`);
    const signOffLink = approvalLink(await mailFor(local, PEOPLE.hod, 4));
    const signOffPage = await (await fetch(signOffLink)).text();
    expect(signOffPage).toContain('Sign the document');
    expect(signOffPage).toContain('version 2 (PDF)');
    const signOffNonce = /name="nonce" value="([^"]+)"/.exec(signOffPage)?.[1] as string;
    // The signature on version 1 does not approve version 2.
    const stale = await uploadForm(signOffLink, signOffNonce, readFileSync(signedFile));
    expect(stale.status).toBe(422);
    const issuedV2File = join(dataDir, 'issued-v2.pdf');
    const signedV2File = join(dataDir, 'signed-v2.pdf');
    writeFileSync(
      issuedV2File,
      new Uint8Array(await (await fetch(`${signOffLink}/document.pdf`)).arrayBuffer()),
    );
    await admin(runtimeFile, [
      'sign-pdf',
      '--in',
      issuedV2File,
      '--out',
      signedV2File,
      '--signer',
      'R. K. Singh',
    ]);
    const signedOff = await uploadForm(signOffLink, signOffNonce, readFileSync(signedV2File));
    expect(signedOff.status, signedOff.text).toBe(200);
    const round2 = await (
      await fetch(approvalLink(await mailFor(local, PEOPLE.etaalNodalContact, 4, 1)))
    ).text();
    expect(round2).toMatch(/Version 2: signed by CN=R\. K\. Singh/);
    expect(round2).toContain('Resubmission: round 2');
  }, 180_000);
});
