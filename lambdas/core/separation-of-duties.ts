import type * as z from './zod';

/**
 * Separation of duties in an onboarding request (SoP step 1): the competent authority (the Head of
 * Department) signs off what the nodal officer prepares, so they must be two people, and when an admin
 * pinned the department's competent authority, only that address may sign off. Pure: no AWS.
 */

/** Addresses compare case-insensitively (mail providers treat the local part so in practice). */
export function sameAddress(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

export const SELF_APPROVAL_MESSAGE =
  "Must not be the nodal officer's address: the competent authority signs off what the nodal officer submits";

/** zod refinement of the create-onboarding body: the HoD is not the nodal officer. */
export function refuseSelfApproval(
  request: { nodalOfficer: { email: string }; competentAuthority: { email: string } },
  ctx: z.core.$RefinementCtx,
): void {
  if (sameAddress(request.nodalOfficer.email, request.competentAuthority.email)) {
    ctx.addIssue({ code: 'custom', path: ['competentAuthority', 'email'], message: SELF_APPROVAL_MESSAGE });
  }
}

/** The pinned authority's rule: the message when the request names another address, else undefined. */
export function pinnedAuthorityViolation(
  requested: { email: string },
  pinned: { email: string } | undefined,
): string | undefined {
  if (!pinned || sameAddress(requested.email, pinned.email)) return undefined;
  return "Must be the department's competent authority on record; an administrator changes it with `departments set-authority`";
}
