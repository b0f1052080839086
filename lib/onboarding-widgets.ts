import { Duration } from 'aws-cdk-lib';
import {
  type Dashboard,
  GraphWidget,
  type IWidget,
  MathExpression,
  Metric,
  SingleValueWidget,
} from 'aws-cdk-lib/aws-cloudwatch';

/**
 * The dashboard's onboarding row (issue 8): open onboardings by status and by step, the needs-admin count
 * (published by the recovery sweep), SLA breaches per day (StepDeadlineBreached), emails sent and failed,
 * and counts accepted and rejected per day. SEARCH expressions pick up every value of a dimension (steps,
 * rejection reasons) without listing them.
 */
export function addOnboardingWidgets(
  dashboard: Dashboard,
  props: { namespace: string; serviceName: string },
): void {
  const { namespace, serviceName } = props;
  const day = Duration.days(1);
  const quarter = Duration.minutes(15);
  const search = (
    dimensions: string,
    metricName: string,
    statistic: string,
    period: Duration,
    label: string,
  ) =>
    new MathExpression({
      expression: `SEARCH('{${namespace},${dimensions}} MetricName="${metricName}" service="${serviceName}"', '${statistic}', ${period.toSeconds()})`,
      label,
      period,
    });
  const serviceMetric = (metricName: string, statistic: string, period: Duration, label = metricName) =>
    new Metric({ namespace, metricName, dimensionsMap: { service: serviceName }, statistic, period, label });
  const needsAdmin = new Metric({
    namespace,
    metricName: 'OnboardingsOpen',
    dimensionsMap: { service: serviceName, status: 'ATTENTION' },
    statistic: 'Maximum',
    period: quarter,
    label: 'Needs an admin (ATTENTION)',
  });
  const widgets: IWidget[] = [
    new GraphWidget({
      title: 'Open onboardings by status',
      left: [search('service,status', 'OnboardingsOpen', 'Maximum', quarter, '')],
      width: 6,
    }),
    new GraphWidget({
      title: 'Open onboardings by step',
      left: [search('service,step', 'OnboardingsAtStep', 'Maximum', quarter, '')],
      width: 6,
    }),
    new SingleValueWidget({ title: 'Needs an admin', metrics: [needsAdmin], width: 4 }),
    new GraphWidget({
      title: 'SLA breaches per day (step deadlines passed)',
      left: [search('service,step', 'StepDeadlineBreached', 'Sum', day, '')],
      width: 8,
    }),
  ];
  dashboard.addWidgets(...widgets);
  dashboard.addWidgets(
    new GraphWidget({
      title: 'Emails sent and failed per day',
      left: [serviceMetric('EmailsSent', 'Sum', day), serviceMetric('EmailsFailed', 'Sum', day)],
      width: 12,
    }),
    new GraphWidget({
      title: 'Counts accepted and rejected per day',
      left: [
        serviceMetric('CountsAccepted', 'Sum', day),
        search('service,reason', 'CountItemsRejected', 'Sum', day, ''),
      ],
      width: 12,
    }),
  );
}
