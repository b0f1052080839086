import { describe, expect, it } from 'vitest';
import type { ServiceTemplate } from '../../lambdas/core/template';
import { describeChanges, diffTemplates, hasChanges } from '../../lambdas/core/template-diff';

const template = (serviceName: string, overrides: Partial<ServiceTemplate> = {}): ServiceTemplate => ({
  serviceName,
  serviceDescription: 'Issues a certificate of birth to any resident who applies online with proof.',
  deliveryMode: 'Online',
  category: 'G2C',
  missionModeProject: false,
  ...overrides,
});

describe('diffTemplates', () => {
  it('finds nothing between equal versions', () => {
    const v = [template('Birth certificate'), template('Trade licence')];
    const diff = diffTemplates(v, structuredClone(v));
    expect(hasChanges(diff)).toBe(false);
    expect(diff.unchanged).toEqual(['Birth certificate', 'Trade licence']);
    expect(describeChanges(diff)).toEqual([]);
  });

  it('names each changed field per service, with before and after as the template shows them', () => {
    const before = [template('Birth certificate'), template('Trade licence')];
    const after = [
      template('Birth certificate'),
      template('Trade licence', { category: 'G2B', missionModeProject: true, deliveryMode: 'OCe' }),
    ];
    const diff = diffTemplates(before, after);
    expect(diff.unchanged).toEqual(['Birth certificate']);
    expect(diff.changed).toEqual([
      {
        serviceName: 'Trade licence',
        changes: [
          { field: 'deliveryMode', label: 'Delivery Mode', before: 'Online', after: 'OCe' },
          { field: 'category', label: 'Category', before: 'G2C', after: 'G2B' },
          { field: 'missionModeProject', label: 'Mission Mode Project', before: 'No', after: 'Yes' },
        ],
      },
    ]);
    expect(describeChanges(diff)).toEqual([
      'Trade licence: Delivery Mode "Online" → "OCe"',
      'Trade licence: Category "G2C" → "G2B"',
      'Trade licence: Mission Mode Project "No" → "Yes"',
    ]);
  });

  it('gives a changed description word by word', () => {
    const before = [
      template('Birth certificate', { serviceDescription: 'Issues a birth certificate within seven days.' }),
    ];
    const after = [
      template('Birth certificate', {
        serviceDescription: 'Issues a birth certificate within three days, free.',
      }),
    ];
    const [change] = diffTemplates(before, after).changed[0]?.changes ?? [];
    expect(change?.field).toBe('serviceDescription');
    const removed = change?.words?.filter((w) => w.kind === 'removed').map((w) => w.text.trim());
    const added = change?.words?.filter((w) => w.kind === 'added').map((w) => w.text.trim());
    expect(removed).toContain('seven');
    expect(added?.join(' ')).toContain('three');
    // The runs rebuild both texts exactly.
    const rebuild = (skip: 'added' | 'removed') =>
      (change?.words ?? [])
        .filter((w) => w.kind !== skip)
        .map((w) => w.text)
        .join('');
    expect(rebuild('added')).toBe(change?.before);
    expect(rebuild('removed')).toBe(change?.after);
    expect(describeChanges(diffTemplates(before, after))[0]).toMatch(
      /^Birth certificate: Service Description changed \(\d+ words removed, \d+ added\)$/,
    );
  });

  it('matches services by name ignoring case and order, and reports services in one version only', () => {
    const before = [template('Trade licence'), template('Birth certificate'), template('Old service')];
    const after = [
      template('birth certificate', { category: 'G2G' }),
      template('Trade licence'),
      template('New one'),
    ];
    const diff = diffTemplates(before, after);
    expect(diff.changed.map((s) => s.serviceName)).toEqual(['birth certificate']);
    expect(diff.unchanged).toEqual(['Trade licence']);
    expect(diff.added).toEqual(['New one']);
    expect(diff.removed).toEqual(['Old service']);
    expect(hasChanges(diff)).toBe(true);
  });

  it('shortens long quoted values in the text summary', () => {
    const diff = diffTemplates([template('Service A')], [template('Service A', { deliveryMode: 'OCe' })]);
    expect(describeChanges(diff, 3)).toEqual(['Service A: Delivery Mode "On…" → "OCe"']);
  });

  it('shows a description rewritten beyond the edit bound as replaced whole, quickly', () => {
    const text = (word: string) => Array.from({ length: 500 }, (_, i) => `${word}${i}`).join(' ');
    const before = Array.from({ length: 200 }, (_, i) =>
      template(`Service ${i}`, { serviceDescription: text('old') }),
    );
    const after = Array.from({ length: 200 }, (_, i) =>
      template(`Service ${i}`, { serviceDescription: text('new') }),
    );
    const started = performance.now();
    const diff = diffTemplates(before, after);
    // A guard against a quadratic diff, far above the few hundred ms this takes (speed is in npm run bench).
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(diff.changed).toHaveLength(200);
    expect(diff.changed[0]?.changes[0]?.words).toEqual([
      { kind: 'removed', text: text('old') },
      { kind: 'added', text: text('new') },
    ]);
  });
});
