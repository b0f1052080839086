import { istDateOf } from '../core/calendar';
import { formatDayNumber, requireIsoDate } from '../core/iso-date';
import type { Pipeline } from '../onboarding/pipeline';
import { onboardingPipeline } from '../onboarding/pipeline-store';
import { type PublicReport, publicReport } from '../reports/public-report';

/**
 * Everything the public dashboard shows, from the reports' and the onboarding pipeline's queries: the
 * page renders it, the chart script reads it, and the metrics publisher sends it to CloudWatch.
 */
export interface DashboardFigures extends PublicReport {
  readonly pipeline: Pipeline;
  /** When the figures were read (ISO instant). */
  readonly generatedAt: string;
}

/** Counts arrive the day after (departments push a day's totals once it is over): yesterday in IST. */
export function defaultAsOf(now: Date): string {
  return formatDayNumber(requireIsoDate(istDateOf(now)) - 1);
}

export async function dashboardFigures(asOf: string, now: Date): Promise<DashboardFigures> {
  const [report, pipeline] = await Promise.all([publicReport(asOf), onboardingPipeline(now)]);
  return { ...report, pipeline, generatedAt: now.toISOString() };
}
