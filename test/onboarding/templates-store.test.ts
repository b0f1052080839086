import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceTemplate } from '../../lambdas/core/template';
import { getOnboarding, putNewOnboarding } from '../../lambdas/onboarding/repository';
import { activateTemplates, revertTemplates, stageTemplates } from '../../lambdas/onboarding/templates-store';
import { onboardingFixture, template } from './fixtures';
import { startHarness } from './support';

let harness: Awaited<ReturnType<typeof startHarness>>;
beforeAll(async () => {
  harness = await startHarness('onb-templates-');
});
afterAll(() => harness.stop());

let sequence = 0;
async function newOnboarding() {
  const onboarding = onboardingFixture({
    onboardingId: `0b0b0b0b-0000-8000-8000-${String(++sequence).padStart(12, '0')}`,
  });
  await putNewOnboarding(onboarding, 'hash');
  return onboarding.onboardingId;
}

const templates = (category: string) =>
  ['Birth certificate', 'Trade licence'].map((name) => template(name, { category }) as ServiceTemplate);

describe('templates stored as items of a submission META points to', () => {
  it('shows a submission only once META points to it, and the previous one again after a revert', async () => {
    const id = await newOnboarding();
    const first = await stageTemplates(id, templates('G2C'), 0);
    expect((await getOnboarding(id))?.templates).toBeUndefined();
    await activateTemplates(id, first, '2026-11-24T10:00:00.000Z');
    const before = await getOnboarding(id);

    const second = await stageTemplates(id, templates('G2B'), 1);
    const staged = await getOnboarding(id);
    const activated = await activateTemplates(id, second, '2026-11-25T10:00:00.000Z');
    const current = await getOnboarding(id);
    await revertTemplates(before as NonNullable<typeof before>, second);
    const reverted = await getOnboarding(id);

    expect(before?.templates?.map((t) => t.category)).toEqual(['G2C', 'G2C']);
    expect(staged?.templates?.map((t) => t.category)).toEqual(['G2C', 'G2C']);
    expect(activated).toBe(true);
    expect(current?.templatesVersion).toBe(2);
    expect(current?.templates?.map((t) => t.category)).toEqual(['G2B', 'G2B']);
    expect(reverted?.templatesVersion).toBe(1);
    expect(reverted?.templatesSubmittedAt).toBe('2026-11-24T10:00:00.000Z');
    expect(reverted?.templates?.map((t) => t.category)).toEqual(['G2C', 'G2C']);
  });

  it('activates only against the version a submission was checked against', async () => {
    const id = await newOnboarding();
    const a = await stageTemplates(id, templates('G2C'), 0);
    const b = await stageTemplates(id, templates('G2B'), 0);

    expect(await activateTemplates(id, a, '2026-11-25T10:00:00.000Z')).toBe(true);
    expect(await activateTemplates(id, b, '2026-11-25T10:00:01.000Z')).toBe(false);
    expect((await getOnboarding(id))?.templates?.map((t) => t.category)).toEqual(['G2C', 'G2C']);
  });

  it('never answers with part of a submission', async () => {
    const id = await newOnboarding();
    const staged = await stageTemplates(id, templates('G2C'), 0);
    await activateTemplates(id, staged, '2026-11-25T10:00:00.000Z');
    await harness.db.client.send(
      new DeleteCommand({
        TableName: harness.db.tables.onboardings,
        Key: { pk: `ONB#${id}`, sk: `TEMPLATE#0001#${staged.submissionId}#001` },
      }),
    );

    await expect(getOnboarding(id)).rejects.toThrow(/has 1 of 2/);
  });
});
