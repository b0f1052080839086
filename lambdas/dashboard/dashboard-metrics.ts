import { SERVICE_CATEGORIES } from '../core/service-categories';
import type { DashboardFigures } from './figures';

/**
 * The dashboard's figures as CloudWatch metrics (service dimension, plus `category` for the split by
 * category), so the console dashboard and alarms see what the public page shows. lib/operations.ts
 * graphs exactly these names.
 */
export const DASHBOARD_METRICS = {
  ETransactionsYesterday: 'Live e-transactions of the last complete day (IST)',
  ETransactionsLast30Days: 'Live e-transactions of the 30 days ending yesterday',
  LiveServices: 'Services live on national e-Taal',
  SilentServices: 'Live services that sent no count for yesterday',
  OnboardingsInProgress: 'Open onboardings between SoP steps 1 and 12',
  OnboardingsOverdue: 'Onboardings past their current step’s due date',
  OnboardingsCancelled: 'Onboardings cancelled by DeGS and not reopened',
} as const;
export type DashboardMetric = keyof typeof DASHBOARD_METRICS;

/** Live e-transactions of the last 30 days per category (dimension `category`). */
export const CATEGORY_METRIC = 'ETransactionsLast30DaysByCategory';
export const CATEGORY_DIMENSION = 'category';
export const METRIC_CATEGORIES = SERVICE_CATEGORIES;

export function dashboardMetricValues(figures: DashboardFigures): Record<DashboardMetric, number> {
  return {
    ETransactionsYesterday: figures.totalOnAsOf,
    ETransactionsLast30Days: figures.totalInDays,
    LiveServices: figures.liveServices,
    SilentServices: figures.silentServices.length,
    OnboardingsInProgress: figures.pipeline.inProgress,
    OnboardingsOverdue: figures.pipeline.overdue,
    OnboardingsCancelled: figures.pipeline.cancelled,
  };
}
