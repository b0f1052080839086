import { Duration } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  SingleValueWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  CATEGORY_DIMENSION,
  CATEGORY_METRIC,
  DASHBOARD_METRICS,
  type DashboardMetric,
  METRIC_CATEGORIES,
} from '../lambdas/dashboard/dashboard-metrics';
import { OPERATOR_SIGNALS, type OperatorSignal } from '../lambdas/shared/operator-signals';
import type { Alerting } from './alerting';
import { addOnboardingWidgets } from './onboarding-widgets';
import { runbookDescription } from './runbook';

export interface OperationsProps {
  readonly api: RestApi;
  /** POWERTOOLS_METRICS_NAMESPACE and POWERTOOLS_SERVICE_NAME of the functions. */
  readonly metricsNamespace: string;
  readonly serviceName: string;
  readonly functions: ReadonlyMap<string, IFunction>;
  readonly stateMachine: StateMachine;
  readonly tables: Readonly<Record<string, Table>>;
  /** Receives every alarm's ALARM and OK (./alerting). */
  readonly alerting?: Alerting;
}

const FIVE_MINUTES = Duration.minutes(5);
/** Refused connector calls in 5 minutes that mean a guessing attack: NIC polls a few times a day. */
const CONNECTOR_GUESS_BURST = 50;

/**
 * One dashboard and the alarms an operator acts on: the API failing, a function failing, an onboarding
 * execution failing or timing out, a table throttling. Alarms go to ALARM on the first occurrence
 * (each is a department's request or onboarding that did not go through).
 */
export class Operations extends Construct {
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[] = [];
  private readonly alerting: Alerting | undefined;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    this.alerting = props.alerting;
    const api5xx = props.api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' });
    const api4xx = props.api.metricClientError({ period: FIVE_MINUTES, statistic: 'Sum' });
    const latency = props.api.metricLatency({ period: FIVE_MINUTES, statistic: 'p95' });
    this.alarm('Api5xx', api5xx, 'The API answered with a 5xx');

    const functionErrors = [...props.functions].map(([fnId, fn]) => {
      const errors = fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' });
      this.alarm(`${fnId}Errors`, errors, `The ${fnId} function failed`);
      return errors.with({ label: fnId });
    });

    const failed = props.stateMachine.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum' });
    const timedOut = props.stateMachine.metricTimedOut({ period: FIVE_MINUTES, statistic: 'Sum' });
    this.alarm('OnboardingFailed', failed, 'An onboarding workflow execution failed');
    this.alarm('OnboardingTimedOut', timedOut, 'An onboarding workflow execution timed out');

    const throttles = Object.entries(props.tables).map(([key, table]) => {
      const throttled = new MathExpression({
        // Metric ids must be unique across the graph that shows every table.
        expression: `reads_${key} + writes_${key}`,
        usingMetrics: {
          [`reads_${key}`]: table.metric('ReadThrottleEvents', { period: FIVE_MINUTES, statistic: 'Sum' }),
          [`writes_${key}`]: table.metric('WriteThrottleEvents', { period: FIVE_MINUTES, statistic: 'Sum' }),
        },
        label: key,
        period: FIVE_MINUTES,
      });
      this.alarm(`${key}Throttled`, throttled, `The ${key} table throttled requests`);
      return throttled;
    });

    // Published by the handlers with the service dimension only (signalOperator), so one alarm each.
    const operatorSignals = (Object.keys(OPERATOR_SIGNALS) as OperatorSignal[]).map((signal) => {
      const metric = new Metric({
        namespace: props.metricsNamespace,
        metricName: signal,
        dimensionsMap: { service: props.serviceName },
        period: FIVE_MINUTES,
        statistic: 'Sum',
      });
      this.alarm(signal, metric, OPERATOR_SIGNALS[signal]);
      return metric;
    });

    // Wrong connector credentials from anywhere (each address is also limited on its own, and its block
    // raises ConnectorSourceBlocked): many in a few minutes is guessing spread over addresses.
    const connectorGuesses = new MathExpression({
      expression: 'bad + throttled',
      usingMetrics: Object.fromEntries(
        (['badCredentials', 'throttled'] as const).map((outcome) => [
          outcome === 'badCredentials' ? 'bad' : outcome,
          new Metric({
            namespace: props.metricsNamespace,
            metricName: 'ConnectorCalls',
            dimensionsMap: { service: props.serviceName, outcome },
            period: FIVE_MINUTES,
            statistic: 'Sum',
          }),
        ]),
      ),
      label: 'Connector calls refused (wrong or limited credentials)',
      period: FIVE_MINUTES,
    });
    const credentialBurst = new Alarm(this, 'ConnectorCredentialBurst', {
      metric: connectorGuesses,
      threshold: CONNECTOR_GUESS_BURST,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: runbookDescription(
        'ConnectorCredentialBurst',
        `At least ${CONNECTOR_GUESS_BURST} connector calls with wrong or limited credentials in 5 minutes: someone is guessing NIC's password (see the access log for the addresses)`,
      ),
    });
    this.alerting?.notify(credentialBurst);
    this.alarms.push(credentialBurst);

    // The public dashboard's figures, published hourly by the DashboardMetrics function.
    const figure = (metricName: string, dimensions: Record<string, string> = {}, label?: string) =>
      new Metric({
        namespace: props.metricsNamespace,
        metricName,
        dimensionsMap: { service: props.serviceName, ...dimensions },
        period: Duration.hours(1),
        statistic: 'Maximum',
        ...(label ? { label } : {}),
      });
    const figureOf = (name: DashboardMetric) => figure(name, {}, DASHBOARD_METRICS[name]);
    const byCategory = METRIC_CATEGORIES.map((category) =>
      figure(CATEGORY_METRIC, { [CATEGORY_DIMENSION]: category }, category),
    );

    this.dashboard = new Dashboard(this, 'Dashboard', {
      widgets: [
        [
          new GraphWidget({ title: 'API responses', left: [api4xx, api5xx], width: 12 }),
          new GraphWidget({ title: 'API latency p95', left: [latency], width: 12 }),
        ],
        [
          new GraphWidget({ title: 'Function errors', left: functionErrors, width: 12 }),
          new GraphWidget({
            title: 'Onboarding executions',
            left: [
              props.stateMachine.metricStarted({ period: FIVE_MINUTES, statistic: 'Sum' }),
              props.stateMachine.metricSucceeded({ period: FIVE_MINUTES, statistic: 'Sum' }),
              failed,
              timedOut,
            ],
            width: 12,
          }),
        ],
        [
          new GraphWidget({ title: 'DynamoDB throttled requests', left: throttles, width: 12 }),
          new GraphWidget({ title: 'Needs an admin', left: operatorSignals, width: 12 }),
        ],
        [
          new SingleValueWidget({
            title: 'e-Taal Delhi today (as on the public dashboard)',
            metrics: (Object.keys(DASHBOARD_METRICS) as DashboardMetric[]).map(figureOf),
            width: 24,
          }),
        ],
        [
          new GraphWidget({
            title: 'Live e-transactions of the last complete day',
            left: [figureOf('ETransactionsYesterday')],
            right: [figureOf('SilentServices')],
            width: 12,
          }),
          new GraphWidget({
            title: 'Live e-transactions, last 30 days, by category',
            left: byCategory,
            stacked: true,
            width: 12,
          }),
        ],
        [
          new GraphWidget({
            title: 'Onboarding pipeline',
            left: [figureOf('OnboardingsInProgress'), figureOf('OnboardingsOverdue')],
            right: [figureOf('OnboardingsCancelled')],
            width: 12,
          }),
          new GraphWidget({ title: 'Live services', left: [figureOf('LiveServices')], width: 12 }),
        ],
      ],
    });
    addOnboardingWidgets(this.dashboard, {
      namespace: props.metricsNamespace,
      serviceName: props.serviceName,
    });
  }

  private alarm(id: string, metric: IMetric, description: string): void {
    const alarm = new Alarm(this, id, {
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: runbookDescription(id, description),
    });
    this.alerting?.notify(alarm);
    this.alarms.push(alarm);
  }
}
