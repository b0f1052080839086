/**
 * Situations an admin must act on. Handlers publish them with the service dimension only
 * (`signalOperator` in ./observability), so CDK raises one CloudWatch alarm per signal (lib/operations.ts)
 * whose description says what to do.
 */
export const OPERATOR_SIGNALS = {
  OnboardingStalled:
    'An onboarding passed its escalation limit and is STALLED: see the Onboardings table (status STALLED) and its audit trail',
  ContactsMissing: 'A role has no email address, so nobody was asked to act: npm run admin -- contacts set',
  HolidayCalendarMissing:
    'No holiday list for a year: only weekends are skipped until an admin runs npm run admin -- holidays set',
  GuessingSourceBlocked:
    'An address was refused after repeated failed API keys or approval links: see the GuessingFailures metric and the access logs for its IP; block it in the WAF if it goes on',
} as const;

export type OperatorSignal = keyof typeof OPERATOR_SIGNALS;

/** The names the functions are given (POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE). */
export const SERVICE_NAME = 'etaal-delhi';
export const METRICS_NAMESPACE = 'ETaalDelhi';
