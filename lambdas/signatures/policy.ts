import { HOD_SIGNATURE_POLICIES, type HodSignaturePolicy, readSetting } from '../shared/settings';

/**
 * `etaal:hodSignature` (CDK context; HOD_SIGNATURE_POLICY in the functions): how step 3 is approved.
 *  - required: only an uploaded, verified signed PDF approves (the default of a deployment);
 *  - optional: a signed PDF, or a click recorded as "approved without a digital signature" (local mode);
 *  - off: the click approval of before; no upload is offered.
 */
export { HOD_SIGNATURE_POLICIES, type HodSignaturePolicy };

export const hodSignaturePolicy = (): HodSignaturePolicy => readSetting('hodSignaturePolicy');

/** The SoP step whose approval is the competent authority's signature. */
export const SIGNED_STEP = 3;

/**
 * Whether a link's approval is the competent authority's signature on the current templates: at step 3,
 * and at step 4 when the HoD signs off amended templates (the new signed PDF covers the new version).
 */
export function signsTemplates(link: { readonly step: number; readonly role: string }): boolean {
  return link.step >= SIGNED_STEP && link.role === 'competentAuthority';
}
