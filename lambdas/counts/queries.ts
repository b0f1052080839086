import type { CountPhase } from '../core/counts';
import { queryServiceCounts } from './repository';

/** A stored daily total as other features see it (the step 9 approval page lists the test counts). */
export interface CountSummary {
  readonly serviceCode: string;
  readonly date: string;
  readonly locationCode: string;
  readonly count: number;
  readonly phase: CountPhase;
  readonly updatedAt: string;
}

const PAGE = 1000;

/** Every stored count of the given services (test and live), ordered by service, then date. */
export async function listCountsByServiceCodes(serviceCodes: readonly string[]): Promise<CountSummary[]> {
  const perCode = await Promise.all(
    [...new Set(serviceCodes)].map(async (serviceCode) => {
      const counts: CountSummary[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await queryServiceCounts(serviceCode, '0000-00-00', '9999-99-99', PAGE, startKey);
        counts.push(
          ...page.counts.map(({ serviceCode, date, locationCode, count, phase, updatedAt }) => ({
            serviceCode,
            date,
            locationCode,
            count,
            phase,
            updatedAt,
          })),
        );
        startKey = page.lastKey;
      } while (startKey);
      return counts;
    }),
  );
  return perCode.flat();
}

/** The test counts received from the given services (what the step 9 dossier lists per service). */
export async function listTestCounts(serviceCodes: readonly string[]): Promise<CountSummary[]> {
  if (serviceCodes.length === 0) return [];
  return (await listCountsByServiceCodes(serviceCodes)).filter((count) => count.phase === 'test');
}
