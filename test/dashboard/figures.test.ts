import { describe, expect, it } from 'vitest';
import { FINISHED_STATUSES, OPEN_STATUSES } from '../../lambdas/core/workflow';
import { pipelineByStep } from '../../lambdas/onboarding/pipeline';
import type { TotalRow } from '../../lambdas/reports/aggregate';
import {
  liveTotalsByCategory,
  liveTotalsByDay,
  liveTotalsByDepartment,
  liveTotalsByMonth,
  publicWindows,
  topLiveServices,
} from '../../lambdas/reports/public-figures';

const row = (r: Partial<TotalRow> & { total: number }): TotalRow => ({ entries: 1, phase: 'live', ...r });

describe('public figures', () => {
  it('covers 30 days and the 12 calendar months ending with the as-of date, each a valid report range', () => {
    expect(publicWindows('2026-03-31')).toEqual({
      days: { from: '2026-03-02', to: '2026-03-31' },
      months: { from: '2025-04-01', to: '2026-03-31' },
    });
    expect(publicWindows('2024-02-29').months.from).toBe('2023-03-01');
  });

  it('counts live totals only: test counts of step 8 are not e-transactions', () => {
    const rows = [
      row({ date: '2026-11-02', total: 5 }),
      row({ date: '2026-11-02', total: 1000, phase: 'test' }),
      row({ date: '2026-11-03', total: 7 }),
    ];
    expect(liveTotalsByDay(rows, '2026-11-01', '2026-11-03')).toEqual([
      { date: '2026-11-01', total: 0 },
      { date: '2026-11-02', total: 5 },
      { date: '2026-11-03', total: 7 },
    ]);
  });

  it('fills every month of the range, across a year end', () => {
    const rows = [row({ date: '2025-12-31', total: 3 }), row({ date: '2026-02-01', total: 4 })];
    expect(liveTotalsByMonth(rows, '2025-11-01', '2026-02-15')).toEqual([
      { month: '2025-11', total: 0 },
      { month: '2025-12', total: 3 },
      { month: '2026-01', total: 0 },
      { month: '2026-02', total: 4 },
    ]);
  });

  it('ranks departments and services by e-transactions, ties by code', () => {
    const rows = [
      row({ departmentCode: 'TPT', departmentName: 'Transport', serviceCode: 'DL-TPT-0001', total: 10 }),
      row({ departmentCode: 'REV', departmentName: 'Revenue', serviceCode: 'DL-REV-0002', total: 10 }),
      row({ departmentCode: 'REV', departmentName: 'Revenue', serviceCode: 'DL-REV-0001', total: 30 }),
    ];
    expect(liveTotalsByDepartment(rows)).toEqual([
      { departmentCode: 'REV', departmentName: 'Revenue', total: 40 },
      { departmentCode: 'TPT', departmentName: 'Transport', total: 10 },
    ]);
    expect(topLiveServices(rows, 2).map((s) => s.serviceCode)).toEqual(['DL-REV-0001', 'DL-REV-0002']);
  });

  it('always lists the four e-Taal categories in order, then any other value', () => {
    const rows = [row({ category: 'G2G', total: 2 }), row({ category: '?', total: 1 })];
    expect(liveTotalsByCategory(rows)).toEqual([
      { category: 'G2C', total: 0 },
      { category: 'G2B', total: 0 },
      { category: 'B2C', total: 0 },
      { category: 'G2G', total: 2 },
      { category: '?', total: 1 },
    ]);
  });
});

describe('onboarding pipeline', () => {
  const now = new Date('2026-11-25T06:00:00Z');
  it('counts open onboardings at their current step, overdue ones apart, and the finished ones', () => {
    const pipeline = pipelineByStep(
      [
        {
          status: 'IN_PROGRESS',
          currentStep: 4,
          currentStepState: { startedAt: 'x', dueAt: '2026-11-24T18:29:00Z' },
        },
        {
          status: 'IN_PROGRESS',
          currentStep: 4,
          currentStepState: { startedAt: 'x', dueAt: '2026-11-26T18:29:00Z' },
        },
        {
          status: 'STALLED',
          currentStep: 9,
          currentStepState: { startedAt: 'x', dueAt: '2026-11-01T18:29:00Z' },
        },
        {
          status: 'ATTENTION',
          currentStep: 6,
          currentStepState: { startedAt: 'x', dueAt: '2026-11-30T18:29:00Z' },
        },
        { status: 'LIVE', currentStep: 12, currentStepState: { startedAt: 'x', completedAt: 'y' } },
        { status: 'REJECTED', currentStep: 4 },
        {
          status: 'CANCELLED',
          currentStep: 4,
          currentStepState: { startedAt: 'x', dueAt: '2026-11-24T18:29:00Z' },
        },
      ],
      now,
    );
    expect(pipeline.steps).toHaveLength(12);
    expect(pipeline.steps.find((s) => s.step === 4)).toMatchObject({ onboardings: 2, overdue: 1 });
    expect(pipeline.steps.find((s) => s.step === 6)).toMatchObject({ onboardings: 1, overdue: 0 });
    expect(pipeline.steps.find((s) => s.step === 9)).toMatchObject({ onboardings: 1, overdue: 1 });
    expect(pipeline).toMatchObject({
      inProgress: 4,
      overdue: 2,
      stalled: 1,
      attention: 1,
      live: 1,
      rejected: 1,
      cancelled: 1,
    });
  });

  it('counts an onboarding of every status exactly once: open, live, rejected or cancelled', () => {
    const statuses = [...OPEN_STATUSES, ...FINISHED_STATUSES];
    const pipeline = pipelineByStep(
      statuses.map((status) => ({ status, currentStep: 5 })),
      now,
    );
    expect(pipeline.inProgress + pipeline.live + pipeline.rejected + pipeline.cancelled).toBe(
      statuses.length,
    );
    expect(pipeline.steps.reduce((sum, step) => sum + step.onboardings, 0)).toBe(pipeline.inProgress);
  });
});
