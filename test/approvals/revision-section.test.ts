import { describe, expect, it } from 'vitest';
import { renderRevision, WORD_DIFF_BUDGET_CHARS } from '../../lambdas/approvals/revision-section';
import type { ServiceTemplate } from '../../lambdas/core/template';
import { diffTemplates } from '../../lambdas/core/template-diff';
import type { Revision } from '../../lambdas/onboarding/revision';

const template = (serviceName: string, serviceDescription: string, category = 'G2C'): ServiceTemplate =>
  ({
    serviceName,
    serviceDescription,
    deliveryMode: 'Online',
    category,
    missionModeProject: false,
  }) as ServiceTemplate;

const revision = (before: ServiceTemplate[], after: ServiceTemplate[], comment = 'Fix <it>'): Revision => ({
  returned: {
    role: 'etaalNodalContact',
    decision: 'return',
    comment,
    decidedAt: '2026-11-20T06:30:00.000Z',
    templates: { version: 1, submissionId: 's-1' },
  },
  round: 2,
  fromVersion: 1,
  toVersion: 2,
  diff: diffTemplates(before, after),
});

describe('the resubmission section of an approval page', () => {
  it('says it is round N, quotes the earlier comment escaped, and marks what changed', () => {
    const page = renderRevision(
      revision(
        [template('Birth certificate', 'Issued in seven days.'), template('Trade licence', 'A licence.')],
        [
          template('Birth certificate', 'Issued in three days.'),
          template('Trade licence', 'A licence.', 'G2B'),
        ],
      ),
    ).toString();
    expect(page).toContain('Resubmission: round 2');
    expect(page).toContain(
      'version 2 answers the return of version 1 by the e-Taal Nodal Contact on Fri 20 Nov 2026',
    );
    expect(page).toContain('<blockquote>Fix &lt;it&gt;</blockquote>');
    expect(page).toContain('<del>seven</del><ins>three</ins>');
    expect(page).toContain(
      '<td data-label="Field">Category</td><td data-label="Before"><del>G2C</del></td><td data-label="Now"><ins>G2B</ins></td>',
    );
  });

  it('says so when nothing changed', () => {
    const same = [template('Birth certificate', 'Same text.')];
    expect(renderRevision(revision(same, same)).toString()).toContain('Nothing changed');
  });

  it('summarises descriptions past the page budget instead of diffing them word by word', () => {
    const long = (word: string) => Array.from({ length: 1500 }, () => word).join(' ');
    const names = Array.from(
      { length: Math.ceil(WORD_DIFF_BUDGET_CHARS / 15_000) + 5 },
      (_, i) => `Service ${i}`,
    );
    const page = renderRevision(
      revision(
        names.map((n) => template(n, long('alpha'))),
        names.map((n) => template(n, long('omega'))),
      ),
    ).toString();
    expect(page).toContain('Changed: 1500 words removed, 1500 added (the full text is in the table below).');
    expect(page.length).toBeLessThan(WORD_DIFF_BUDGET_CHARS * 1.5);
  });
});
