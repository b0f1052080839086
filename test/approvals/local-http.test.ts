import { randomBytes, randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { hashApprovalId } from '../../lambdas/approvals/approval';
import { issueApproval } from '../../lambdas/approvals/issue';
import { withLocalSystem } from '../support/local-system';

/**
 * The approval routes over real HTTP in local mode: API Gateway emulation, the Approvals function and
 * the local Step Functions endpoint. The link is issued for a task token Step Functions never handed out,
 * which is what a decision arriving after the workflow moved on looks like.
 */
const local = withLocalSystem();

describe('approval links over HTTP (local mode)', () => {
  it('serves the page with its security headers, and answers HEAD and a forged id', async () => {
    const { url } = await issueApproval({
      onboardingId: randomUUID(),
      departmentId: randomUUID(),
      step: 12,
      role: 'centralCommittee',
      taskToken: `never-issued-${randomUUID()}`,
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
      choices: ['approve', 'reject'],
    });
    expect(url.startsWith(local.system.apiUrl)).toBe(true);

    const page = await fetch(url);
    const head = await fetch(url, { method: 'HEAD' });
    const forged = await fetch(`${local.system.apiUrl}/approvals/${randomBytes(32).toString('base64url')}`);

    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await page.text()).toContain('name="nonce"');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect(forged.status).toBe(404);
  });

  it('takes a form POST as a browser sends it, and answers 410 when the task is gone', async () => {
    const { url, approvalId } = await issueApproval({
      onboardingId: randomUUID(),
      departmentId: randomUUID(),
      step: 9,
      role: 'degsTechnical',
      taskToken: `never-issued-${randomUUID()}`,
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
      choices: ['approve'],
    });
    const nonce = /name="nonce" value="([^"]+)"/.exec(await (await fetch(url)).text())?.[1] ?? '';

    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'local-test-browser' },
      body: new URLSearchParams({ nonce, decision: 'approve', comment: 'Tested with 3 services ✓' }),
    });

    expect(response.status).toBe(410);
    const { Item } = await local.dynamo().send(
      new GetCommand({
        TableName: local.system.tables.approvals,
        Key: { pk: `APPROVAL#${hashApprovalId(approvalId)}`, sk: 'APPROVAL' },
      }),
    );
    expect(Item).toMatchObject({
      status: 'expired',
      closedReason: 'task-closed',
      decision: { decision: 'approve', comment: 'Tested with 3 services ✓', userAgent: 'local-test-browser' },
    });
  });
});
