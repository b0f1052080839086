import { listDelegations } from '../config/repository';
import { istDateOf } from '../core/calendar';
import { sameAddress } from '../core/separation-of-duties';
import { ValidationError } from '../shared/errors';
import { httpHandler } from '../shared/http';
import { type ApprovalRecord, formNonce, nonceMatches } from './approval';
import { memberNamed, setDelegation } from './delegation';
import { delegationFormFields, MAX_FORM_BYTES } from './form';
import { foreignForm, LINK_ROUTE, linkRecord, page } from './link-pages';
import { delegationFormPage, delegationSetPage, delegationUnavailablePage } from './people-pages';

/**
 * GET|POST /approvals/{approvalId}/delegate: a member names an out-of-office delegate from any of their
 * approval emails (issue 9). The personal link is the credential, as for deciding; GET only shows the
 * form (mail scanners open links), POST with the page's own nonce sets the delegation
 * (./delegation). Works while the link's record is kept, decided or not: the member only needs an email.
 * The shared chain reads the form and answers every refusal and failure with a page (./link-pages).
 */
export const handler = httpHandler(
  { ...LINK_ROUTE, body: delegationFormFields, bodyType: 'form', maxBodyBytes: MAX_FORM_BYTES },
  async ({ path: { approvalId }, body: form }) => {
    const record = await linkRecord(approvalId);
    const member = record.recipient && (await memberNamed(record.recipient.email));
    if (!member) return page(403, delegationUnavailablePage());
    const nonce = formNonce(approvalId, record.nonceSalt, 'delegation-form');
    const today = istDateOf(new Date());
    const current = (await listDelegations()).find((d) => sameAddress(d.from.email, member.email));
    // The chain reads the form on POST only: GET shows it.
    if (!form) return page(200, delegationFormPage(member, nonce, today, current));

    if (!nonceMatches(approvalId, record.nonceSalt, form.nonce, 'delegation-form')) throw foreignForm();
    const { nonce: _, ...values } = form;
    try {
      const { delegation, resent } = await setDelegation(
        { from: member.email, ...values, ...(values.fromDate ? {} : { fromDate: today }) },
        personOf(record),
        new Date(),
      );
      return page(200, delegationSetPage(delegation, resent));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return page(
        422,
        delegationFormPage(member, nonce, today, current, { values, errors: [...error.errors] }),
      );
    }
  },
);

/** The member, as the audit records who set the delegation. */
const personOf = (record: ApprovalRecord) => ({
  name: record.recipient?.name ?? '',
  email: record.recipient?.email ?? '',
});
