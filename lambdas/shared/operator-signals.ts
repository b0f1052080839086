/**
 * Situations an admin must act on. Handlers publish them with the service dimension only
 * (`signalOperator` in ./observability), so CDK raises one CloudWatch alarm per signal (lib/operations.ts)
 * whose description says what to do.
 */
export const OPERATOR_SIGNALS = {
  OnboardingStalled:
    'An onboarding passed its escalation limit and is STALLED: see the Onboardings table (status STALLED) and its audit trail',
  ContactsMissing: 'A role has no email address, so nobody was asked to act: npm run admin -- contacts set',
  OnboardingNeedsAdmin:
    'A workflow task failed after its retries; the onboarding is ATTENTION and waits: fix the cause, then npm run admin -- onboardings resume <onboardingId>',
  EmailSendFailed:
    'An email could not be sent after retries (SES sandbox, unverified identity, quota?); the step keeps waiting with its deadline',
  HolidayCalendarMissing:
    'No holiday list for a year: only weekends are skipped until an admin runs npm run admin -- holidays set',
  ConnectorSourceBlocked:
    "An address was blocked after repeated wrong e-Taal connector credentials (someone is guessing NIC's password): the sourceIp is in the metric metadata; if it is NIC, check the secret NIC was issued",
  GuessingSourceBlocked:
    'An address was refused after repeated failed API keys or approval links: see the GuessingFailures metric and the access logs for its IP; block it in the WAF if it goes on',
} as const;

export type OperatorSignal = keyof typeof OPERATOR_SIGNALS;

/** The names the functions are given (POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE). */
export const SERVICE_NAME = 'etaal-delhi';
export const METRICS_NAMESPACE = 'ETaalDelhi';
