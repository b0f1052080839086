import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aggregateTotals,
  type DepartmentInfo,
  datesBetween,
  parseGroupBy,
  type ReportCount,
  type ServiceInfo,
  silentServices,
} from '../../lambdas/reports/aggregate';

const services = new Map<string, ServiceInfo>([
  [
    'DL-REV-0001',
    { serviceCode: 'DL-REV-0001', departmentId: 'rev', serviceName: 'Income certificate', category: 'G2C' },
  ],
  [
    'DL-REV-0002',
    { serviceCode: 'DL-REV-0002', departmentId: 'rev', serviceName: 'Land record', category: 'G2B' },
  ],
  [
    'DL-TPT-0001',
    { serviceCode: 'DL-TPT-0001', departmentId: 'tpt', serviceName: 'Permit', category: 'G2C' },
  ],
]);
const departments = new Map<string, DepartmentInfo>([
  ['rev', { departmentId: 'rev', code: 'REV', name: 'Revenue' }],
  ['tpt', { departmentId: 'tpt', code: 'TPT', name: 'Transport' }],
]);
const counts: ReportCount[] = [
  { date: '2026-11-23', departmentId: 'rev', serviceCode: 'DL-REV-0001', phase: 'live', count: 10 },
  { date: '2026-11-23', departmentId: 'rev', serviceCode: 'DL-REV-0001', phase: 'live', count: 5 },
  { date: '2026-11-24', departmentId: 'rev', serviceCode: 'DL-REV-0001', phase: 'live', count: 7 },
  { date: '2026-11-24', departmentId: 'rev', serviceCode: 'DL-REV-0002', phase: 'test', count: 3 },
  { date: '2026-11-24', departmentId: 'tpt', serviceCode: 'DL-TPT-0001', phase: 'live', count: 100 },
];

describe('aggregateTotals', () => {
  it('sums by department, service, category and phase by default', () => {
    const rows = aggregateTotals(counts, services, departments, parseGroupBy(undefined) ?? []);
    expect(rows).toEqual([
      {
        departmentCode: 'REV',
        departmentName: 'Revenue',
        serviceCode: 'DL-REV-0001',
        serviceName: 'Income certificate',
        category: 'G2C',
        phase: 'live',
        total: 22,
        entries: 3,
      },
      {
        departmentCode: 'REV',
        departmentName: 'Revenue',
        serviceCode: 'DL-REV-0002',
        serviceName: 'Land record',
        category: 'G2B',
        phase: 'test',
        total: 3,
        entries: 1,
      },
      {
        departmentCode: 'TPT',
        departmentName: 'Transport',
        serviceCode: 'DL-TPT-0001',
        serviceName: 'Permit',
        category: 'G2C',
        phase: 'live',
        total: 100,
        entries: 1,
      },
    ]);
  });

  it('groups by any dimensions, and filters by department code', () => {
    expect(aggregateTotals(counts, services, departments, ['category', 'phase'])).toEqual([
      { category: 'G2B', phase: 'test', total: 3, entries: 1 },
      { category: 'G2C', phase: 'live', total: 122, entries: 4 },
    ]);
    expect(aggregateTotals(counts, services, departments, ['date'], { departmentCode: 'REV' })).toEqual([
      { date: '2026-11-23', total: 15, entries: 2 },
      { date: '2026-11-24', total: 10, entries: 2 },
    ]);
  });

  it('refuses unknown group dimensions', () => {
    expect(parseGroupBy('date,colour')).toBeUndefined();
    expect(parseGroupBy('phase, date')).toEqual(['phase', 'date']);
  });
});

describe('silentServices', () => {
  it('lists live services with no live count for the date; a zero count is not silence', () => {
    const live = [...services.values()];
    const silent = silentServices(live, new Set(['DL-REV-0001']), departments);
    expect(silent.map((s) => s.serviceCode)).toEqual(['DL-REV-0002', 'DL-TPT-0001']);
    expect(silent[1]).toEqual({
      serviceCode: 'DL-TPT-0001',
      serviceName: 'Permit',
      category: 'G2C',
      departmentCode: 'TPT',
      departmentName: 'Transport',
    });
  });
});

describe('datesBetween', () => {
  it('lists the inclusive range and refuses inverted or over-long ones', () => {
    expect(datesBetween(10, 12)).toEqual([10, 11, 12]);
    expect(datesBetween(12, 10)).toBeUndefined();
    expect(datesBetween(0, 366)).toBeUndefined();
    expect(datesBetween(0, 365)).toHaveLength(366);
  });
});

describe('aggregateTotals over random counts', () => {
  const countArbitrary = fc
    .record({
      date: fc.constantFrom('2026-11-23', '2026-11-24', '2026-12-01'),
      serviceCode: fc.constantFrom('DL-REV-0001', 'DL-REV-0002', 'DL-TPT-0001'),
      phase: fc.constantFrom('live' as const, 'test' as const),
      count: fc.nat({ max: 1000 }),
      entries: fc.integer({ min: 1, max: 13 }),
    })
    .map((c): ReportCount => ({ ...c, departmentId: services.get(c.serviceCode)?.departmentId ?? '?' }));
  // Several counts of one group (locations, phases) in any order, and the same counts reordered.
  const countsAndReordered = fc
    .array(countArbitrary, { maxLength: 60 })
    .chain((drawn) => fc.tuple(fc.constant(drawn), fc.shuffledSubarray(drawn, { minLength: drawn.length })));
  const groupings = fc.subarray(['date', 'month', 'department', 'service', 'category', 'phase'] as const, {
    minLength: 1,
  });

  it('gives the same rows whatever the order of the counts and of the grouping, one row per group, nothing lost', () => {
    fc.assert(
      fc.property(
        countsAndReordered,
        groupings,
        fc.constantFrom(undefined, 'REV'),
        ([drawn, reordered], groupBy, departmentCode) => {
          const filter = departmentCode === undefined ? {} : { departmentCode };
          const rows = aggregateTotals(drawn, services, departments, groupBy, filter);
          expect(aggregateTotals(reordered, services, departments, [...groupBy].reverse(), filter)).toEqual(
            rows,
          );
          const kept = drawn.filter((c) => departmentCode === undefined || c.departmentId === 'rev');
          expect(rows.reduce((sum, row) => sum + row.total, 0)).toBe(
            kept.reduce((sum, c) => sum + c.count, 0),
          );
          expect(rows.reduce((sum, row) => sum + row.entries, 0)).toBe(
            kept.reduce((sum, c) => sum + (c.entries ?? 1), 0),
          );
          const groups = rows.map((row) => JSON.stringify({ ...row, total: 0, entries: 0 }));
          expect(new Set(groups).size).toBe(rows.length);
        },
      ),
    );
  });
});
