import type { Onboarding, ServiceCodeStatus } from '../core/workflow';
import { setServiceCodesOnServices } from './repository';
import { setServiceCodeStatus } from './service-codes';

/** The code statuses each target status may be reached from (statuses only move forward). */
const REACHED_FROM: Readonly<
  Record<Exclude<ServiceCodeStatus, 'issued' | 'retired'>, readonly ServiceCodeStatus[]>
> = {
  testing: ['issued'],
  live: ['testing', 'issued'],
  rejected: ['issued', 'testing'],
};

/**
 * Moves every service code of the onboarding to `status`: first the ServiceCodes items (what the counts
 * API reads), then the onboarding's `serviceCodeStatus` (what the status API shows). Callers write the
 * step's status (started, completed, LIVE, REJECTED) only after this returns, so no answer of the status
 * API is ahead of the counts API. Idempotent: a retry repeats the same conditional writes in the same
 * order, and a code already past the target is left alone. An onboarding without codes changes nothing.
 */
export async function moveServiceCodes(
  onboarding: Pick<Onboarding, 'onboardingId' | 'services'>,
  status: Exclude<ServiceCodeStatus, 'issued' | 'retired'>,
  now: Date,
): Promise<void> {
  const codes = onboarding.services.flatMap((s) => (s.serviceCode ? [s.serviceCode] : []));
  if (codes.length === 0) return;
  await setServiceCodeStatus(codes, status, REACHED_FROM[status], now);
  await setServiceCodesOnServices(onboarding.onboardingId, onboarding.services, status);
}
