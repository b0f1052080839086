import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger, metrics } from '../shared/observability';
import { CATEGORY_DIMENSION, CATEGORY_METRIC, dashboardMetricValues } from './dashboard-metrics';
import { dashboardFigures, defaultAsOf } from './figures';

/**
 * Scheduled (hourly): reads the dashboard's figures as of yesterday (IST) and publishes them as
 * CloudWatch metrics in the embedded metric format (log lines CloudWatch turns into metrics: no
 * PutMetricData call, no extra permission). A schedule rather than metrics from page views, so the
 * console graphs have a point every hour whether anyone opened the page or not; a failed run loses
 * nothing, the next one reads the same tables again.
 */
export const handler = async (): Promise<{ asOf: string }> => {
  const now = new Date();
  const asOf = defaultAsOf(now);
  const figures = await dashboardFigures(asOf, now);
  for (const [name, value] of Object.entries(dashboardMetricValues(figures))) {
    metrics.addMetric(name, MetricUnit.Count, value);
  }
  metrics.addMetadata('asOf', asOf);
  metrics.publishStoredMetrics();
  for (const { category, total } of figures.byCategory) {
    const metric = metrics.singleMetric();
    metric.addDimension(CATEGORY_DIMENSION, category);
    metric.addMetadata('asOf', asOf);
    metric.addMetric(CATEGORY_METRIC, MetricUnit.Count, total);
  }
  logger.info('Published the dashboard metrics', { asOf });
  return { asOf };
};
