import { listDelegations } from '../config/repository';
import { istDateOf } from '../core/calendar';
import { sameAddress } from '../core/separation-of-duties';
import { ValidationError } from '../shared/errors';
import { httpHandler } from '../shared/http';
import {
  type ApprovalRecord,
  formNonce,
  hashApprovalId,
  isWellFormedApprovalId,
  nonceMatches,
} from './approval';
import { memberNamed, setDelegation } from './delegation';
import { isFormRequest, readForm } from './form';
import { failurePage, LINK_GUESSING, page } from './link-pages';
import { badNoncePage, notFoundPage, unsupportedPage } from './pages';
import { delegationFormPage, delegationSetPage, delegationUnavailablePage } from './people-pages';
import { getApproval } from './repository';

/**
 * GET|POST /approvals/{approvalId}/delegate: a member names an out-of-office delegate from any of their
 * approval emails (issue 9). The personal link is the credential, as for deciding; GET only shows the
 * form (mail scanners open links), POST with the page's own nonce sets the delegation
 * (./delegation). Works while the link's record is kept, decided or not: the member only needs an email.
 */
export const handler = httpHandler({ guessing: LINK_GUESSING }, async ({ event, requestId }) => {
  const approvalId = event.pathParameters?.approvalId ?? '';
  try {
    const record = isWellFormedApprovalId(approvalId)
      ? await getApproval(hashApprovalId(approvalId))
      : undefined;
    if (!record) return page(404, notFoundPage());
    const member = record.recipient && (await memberNamed(record.recipient.email));
    if (!member) return page(403, delegationUnavailablePage());
    const nonce = formNonce(approvalId, record.nonceSalt, 'delegation-form');
    const today = istDateOf(new Date());
    const current = (await listDelegations()).find((d) => sameAddress(d.from.email, member.email));
    if (event.httpMethod !== 'POST') return page(200, delegationFormPage(member, nonce, today, current));

    const form = isFormRequest(event) ? readForm(event) : undefined;
    if (!form) return page(415, unsupportedPage());
    const text = (name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');
    if (!nonceMatches(approvalId, record.nonceSalt, text('nonce'), 'delegation-form')) {
      return page(403, badNoncePage());
    }
    const values = {
      to: text('to'),
      toName: text('toName'),
      fromDate: text('fromDate'),
      until: text('until'),
    };
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
  } catch (error) {
    return failurePage(error, requestId, 'Delegation request');
  }
});

/** The member, as the audit records who set the delegation. */
const personOf = (record: ApprovalRecord) => ({
  name: record.recipient?.name ?? '',
  email: record.recipient?.email ?? '',
});
