import { beforeEach, describe, expect, it, vi } from 'vitest';

const publicReport = vi.fn(async (asOf: string) => ({ asOf }));
vi.mock('../../lambdas/reports/public-report', () => ({ publicReport }));
vi.mock('../../lambdas/onboarding/pipeline-store', () => ({ onboardingPipeline: async () => ({}) }));

const { recentDashboardFigures } = await import('../../lambdas/dashboard/figures');

describe('figures reused by a container', () => {
  beforeEach(() => publicReport.mockClear());

  it('reads the reports once per as-of date in five minutes, concurrent views included', async () => {
    const at = new Date('2026-11-25T06:00:00Z');
    await Promise.all([recentDashboardFigures('2026-11-20', at), recentDashboardFigures('2026-11-20', at)]);
    await recentDashboardFigures('2026-11-20', new Date(at.getTime() + 4 * 60_000));
    expect(publicReport).toHaveBeenCalledTimes(1);
    await recentDashboardFigures('2026-11-19', at);
    expect(publicReport).toHaveBeenCalledTimes(2);
    await recentDashboardFigures('2026-11-20', new Date(at.getTime() + 6 * 60_000));
    expect(publicReport).toHaveBeenCalledTimes(3);
  });

  it('forgets a failed read, so the next view tries again', async () => {
    const at = new Date('2026-11-25T07:00:00Z');
    publicReport.mockRejectedValueOnce(new Error('DynamoDB unavailable'));
    await expect(recentDashboardFigures('2026-11-10', at)).rejects.toThrow('DynamoDB unavailable');
    await expect(recentDashboardFigures('2026-11-10', at)).resolves.toMatchObject({ asOf: '2026-11-10' });
    expect(publicReport).toHaveBeenCalledTimes(2);
  });
});
