import { DECISIONS } from '../core/workflow';
import * as z from '../core/zod';
import { isWellFormedApprovalId } from './approval';

/**
 * The requests of an approval link's pages, as the shared chain reads them: the link in the path, and the
 * fields of its forms (the decision, the delegation, the signed upload) as browsers post them. The
 * step-specific rules of a decision (which choices, when a comment is needed) are checked by ./decide
 * against the link's record; these schemas only say what each form is made of.
 */

/** A decision form is a few KB at most; a 2,000-character comment in a 4-byte script, percent-encoded. */
export const MAX_FORM_BYTES = 32 * 1024;

/** A malformed link id is answered 404, as an unknown one (nothing can exist there). */
export const LINK_PATH = z.object({ approvalId: z.string().check(z.refine(isWellFormedApprovalId)) });

/** Fields a browser sends as text; a repeated one arrives as a list and is refused, naming it. */
const text = (what: string) => z.string({ error: `${what} must be sent once, as text.` });

export const decisionFormFields = z.object({
  // Checked against the link by ./decide: a missing or foreign nonce is a 403, as a wrong one.
  nonce: z.optional(text('The nonce')),
  decision: z.enum(DECISIONS, { error: 'Choose a decision.' }),
  comment: z.optional(text('The comment')),
});

export type DecisionFormFields = z.infer<typeof decisionFormFields>;

/** Trimmed; the delegation's own rules (../core/delegation) name what is wrong with a value. */
const field = z._default(text('Each field').check(z.trim()), '');

export const delegationFormFields = z.object({
  nonce: field,
  to: field,
  toName: field,
  fromDate: field,
  until: field,
});

/** The signed PDF of step 3: a multipart form's `file`, or a raw PDF body (its nonce then in the query). */
export const signedUploadFields = z.object({
  nonce: z.optional(text('The nonce')),
  file: z.instanceof(Uint8Array, { error: 'Choose the signed PDF and upload it.' }),
});
