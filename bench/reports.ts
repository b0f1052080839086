/**
 * `npm run bench` (second part): report latency over the count aggregates, for the full state of Delhi —
 * 2,000 live services of 40 departments, each reporting 13 district locations every day — over 1, 30 and
 * 365 days, through the same `totalsReport` the API and the admin CLI call, on an in-memory dynalite.
 *
 * The month aggregates and department rollups are seeded directly (2,000 services × 13 months; 40
 * departments × 13 months; 40 departments × 13 months of days; built by the aggregator's own rules), not by
 * pushing 9.5 million raw rows through the stream: the reports read aggregates only, so the raw rows would
 * only make seeding take hours. Each report shape prints the aggregates it reads (`sourceFor`). The day totals are what 13 locations would sum to. dynalite is not DynamoDB: absolute times are
 * local (one process, one core), the shape (how time grows with the range) is what carries over.
 */
import { performance } from 'node:perf_hooks';
import { startBenchDynamo } from './local-dynamo';

const SERVICES = 2000;
const DEPARTMENTS = 40;
const LOCATIONS = 13;
const MONTHS = 13;
const RUNS = 3;
/** Rows per page of the paged answers (the API's default). */
const PAGE = 1000;

async function main(): Promise<void> {
  // DynamoDB runs elsewhere in AWS: dynalite in its own process keeps its work off the report's event loop.
  const { db, tables } = await startBenchDynamo({}, { ownProcess: true });
  const { batchPut } = await import('../lambdas/counts/batch');
  const { cursorAfter, totalRows, totalsReport, monthsBetween, sourceFor } = await import(
    '../lambdas/reports/reports'
  );
  const { toDayRollupItem, toMonthItem, toRollupItem } = await import(
    '../lambdas/reports/aggregates-repository'
  );
  const { applyDaysToDayRollup, applyMonthsToRollup } = await import('../lambdas/reports/aggregation');
  type MonthAggregate = import('../lambdas/reports/aggregation').MonthAggregate;
  type DayAggregate = import('../lambdas/reports/aggregation').DayAggregate;
  const { istDateOf } = await import('../lambdas/core/calendar');
  const { formatDayNumber, requireIsoDate } = await import('../lambdas/core/iso-date');

  const today = requireIsoDate(istDateOf(new Date()));
  const from365 = formatDayNumber(today - 364);
  const months = monthsBetween(from365, formatDayNumber(today)).slice(-MONTHS);
  const categories = ['G2C', 'G2B', 'B2C', 'G2G'];
  const services = Array.from({ length: SERVICES }, (_, i) => ({
    serviceCode: `DL-D${String(i % DEPARTMENTS).padStart(2, '0')}-${String(i).padStart(4, '0')}`,
    departmentId: `dept-${i % DEPARTMENTS}`,
    category: categories[i % 4] as string,
    serviceName: `Service ${i}`,
  }));

  const seeded = performance.now();
  await batchPut(
    tables.departments,
    Array.from({ length: DEPARTMENTS }, (_, d) => ({
      pk: `DEPT#dept-${d}`,
      sk: 'PROFILE',
      departmentId: `dept-${d}`,
      code: `D${String(d).padStart(2, '0')}`,
      name: `Department ${d}`,
    })),
  );
  await batchPut(
    tables.serviceCodes,
    services.map((s) => ({
      pk: `CODE#${s.serviceCode}`,
      sk: 'SERVICE',
      ...s,
      status: 'live',
      serviceName: `Service ${s.serviceCode}`,
    })),
  );
  for (const month of months) {
    const [year, m] = month.split('-').map(Number) as [number, number];
    const daysInMonth = new Date(Date.UTC(year, m, 0)).getUTCDate();
    const aggregates: MonthAggregate[] = services.map((s, i) => ({
      month,
      ...s,
      days: Object.fromEntries(
        Array.from({ length: daysInMonth }, (_, d) => [
          String(d + 1).padStart(2, '0'),
          {
            live: LOCATIONS * (10 + ((i + d) % 50)),
            test: 0,
            liveEntries: LOCATIONS,
            testEntries: 0,
            version: 1,
          },
        ]),
      ),
      version: 1,
    }));
    await batchPut(
      tables.aggregates,
      aggregates.map((aggregate) => ({
        pk: `MONTH#${month}`,
        sk: `SVC#${aggregate.serviceCode}`,
        ...toMonthItem(aggregate),
      })),
    );
    // The department rollups the aggregator keeps from these month aggregates.
    await batchPut(
      tables.aggregates,
      Array.from({ length: DEPARTMENTS }, (_, d) => {
        const rollup = applyMonthsToRollup(
          undefined,
          aggregates.filter((aggregate) => aggregate.departmentId === `dept-${d}`),
        );
        if (!rollup) throw new Error('no rollup');
        return { pk: `ROLLUP#${month}`, sk: `DEPT#dept-${d}`, ...toRollupItem(rollup) };
      }),
    );
    // The day rollups the aggregator keeps from the same services' day aggregates.
    await batchPut(
      tables.aggregates,
      Array.from({ length: daysInMonth * DEPARTMENTS }, (_, n) => {
        const dd = String(Math.floor(n / DEPARTMENTS) + 1).padStart(2, '0');
        const departmentId = `dept-${n % DEPARTMENTS}`;
        const days = aggregates
          .filter((aggregate) => aggregate.departmentId === departmentId)
          .map((aggregate): DayAggregate => {
            const { serviceCode, category } = aggregate;
            const totals = aggregate.days[dd] as DayAggregate;
            return { ...totals, date: `${month}-${dd}`, serviceCode, departmentId, category, sources: {} };
          });
        const rollup = applyDaysToDayRollup(undefined, days);
        if (!rollup) throw new Error('no day rollup');
        return { pk: `DAYROLLUP#${month}`, sk: `${dd}#DEPT#${departmentId}`, ...toDayRollupItem(rollup) };
      }),
    );
  }
  const seedSeconds = (performance.now() - seeded) / 1000;

  /** Median time of RUNS calls, with the last answer; a store that cannot keep up (a loaded machine) fails the line, not the bench. */
  async function timed<T>(run: () => Promise<T>): Promise<{ ms: number | string; answer?: T }> {
    const times: number[] = [];
    let answer: T | undefined;
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      try {
        answer = await run();
      } catch (error) {
        const cause = (error as Error).cause;
        return { ms: `failed: ${cause instanceof Error ? cause.name : (error as Error).message}` };
      }
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return {
      ms: Math.round(times[Math.floor(RUNS / 2)] as number),
      ...(answer === undefined ? {} : { answer }),
    };
  }

  const rows: Record<string, string | number>[] = [];
  const line = (label: string, days: number, reads: string, ms: number | string, pageRows: number) =>
    rows.push({
      report: label,
      'raw rows it stands for': SERVICES * LOCATIONS * days,
      reads,
      'ms (median)': ms,
      'rows (this page)': pageRows,
      'heap MB after': Math.round(process.memoryUsage().heapUsed / 1e6),
    });
  for (const [label, days, groupBy] of [
    ['1 day', 1, ['department', 'service', 'category', 'phase']],
    ['30 days', 30, ['department', 'service', 'category', 'phase']],
    ['365 days', 365, ['department', 'service', 'category', 'phase']],
    ['365 days by month and category', 365, ['month', 'category']],
    ['365 days by date', 365, ['date']],
    ['365 days by date and category', 365, ['date', 'category', 'phase']],
    ['365 days by date and department', 365, ['date', 'department']],
  ] as const) {
    const query = {
      from: formatDayNumber(today - days + 1),
      to: formatDayNumber(today),
      groupBy: [...groupBy],
    };
    const reads = [...new Set(monthsBetween(query.from, query.to).map((m) => sourceFor(query, m)))];
    const { ms, answer } = await timed(() => totalsReport(query));
    line(label, days, reads.join(' + '), ms, answer?.rows.length ?? 0);
  }

  // A year by date and service, 730k rows: the whole answer next to pages of 1,000 (each page reads the
  // months from its cursor's until its rows are filled). Every service counts every day here, so the row
  // before any page is known without the whole answer: (day, service) in the order of dates and codes.
  const byDateAndService = {
    from: formatDayNumber(today - 364),
    to: formatDayNumber(today),
    groupBy: ['date', 'service'] as ('date' | 'service')[],
  };
  const reads = 'monthAggregates';
  const whole = await timed(() => totalRows(byDateAndService));
  line('365 days by date and service: whole answer', 365, reads, whole.ms, whole.answer?.length ?? 0);
  const codes = services.map((service) => service.serviceCode).sort();
  const pages = (365 * SERVICES) / PAGE;
  for (const [label, page] of [
    ['first page', 1],
    ['middle page', pages / 2 + 1],
    ['last page', pages],
  ] as const) {
    const before = (page - 1) * PAGE - 1;
    const cursor =
      before < 0
        ? {}
        : {
            cursor: cursorAfter(byDateAndService, {
              date: formatDayNumber(today - 364 + Math.floor(before / SERVICES)),
              serviceCode: codes[before % SERVICES] as string,
              total: 0,
              entries: 0,
            }),
          };
    const { ms, answer } = await timed(() => totalsReport(byDateAndService, { limit: PAGE, ...cursor }));
    const expected = codes[(before + 1) % SERVICES];
    if (answer && answer.rows[0]?.serviceCode !== expected) {
      throw new Error(`Page ${page} starts with ${answer.rows[0]?.serviceCode}, not ${expected}`);
    }
    line(
      `365 days by date and service: ${label} (${page} of ${pages})`,
      365,
      reads,
      ms,
      answer?.rows.length ?? 0,
    );
  }
  await db.stop();

  console.log(
    `\nReport latency from aggregates: ${SERVICES} live services × ${LOCATIONS} locations, ${months.length} months seeded` +
      ` as month aggregates and rollups in ${seedSeconds.toFixed(0)} s (not as raw rows); median of ${RUNS}, local dynalite (goal ≤ 2 s for 365 days)`,
  );
  console.table(rows);
}

await main();
