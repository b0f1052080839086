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

/** How long a container reuses figures it read: the page is public, so views must not each cost reports. */
const REUSE_MS = 5 * 60_000;
/** As-of dates remembered at once (most views ask for yesterday). */
const REMEMBERED_DATES = 32;
const recent = new Map<string, { readAt: number; figures: Promise<DashboardFigures> }>();

/**
 * dashboardFigures, shared by the views of one container for REUSE_MS (concurrent views wait for the
 * same read). A failed read is forgotten at once, so the next view tries again.
 */
export function recentDashboardFigures(asOf: string, now: Date): Promise<DashboardFigures> {
  const hit = recent.get(asOf);
  if (hit && now.getTime() - hit.readAt < REUSE_MS) return hit.figures;
  const entry = { readAt: now.getTime(), figures: dashboardFigures(asOf, now) };
  recent.delete(asOf);
  recent.set(asOf, entry);
  entry.figures.catch(() => {
    if (recent.get(asOf) === entry) recent.delete(asOf);
  });
  const oldest = recent.keys().next().value;
  if (recent.size > REMEMBERED_DATES && oldest !== undefined) recent.delete(oldest);
  return entry.figures;
}
