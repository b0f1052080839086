import type { Approver } from '../core/delegation';
import { type Block, type Email, link, paragraph } from './emails';

/**
 * The personal part of an approval email (issue 9): whom the link is for, whom they stand in for, and
 * where to name an out-of-office delegate (a page of the same personal link, so no other credential).
 */
export function personalApprovalEmail(email: Email, approver: Approver, approvalUrl: string): Email {
  const blocks: Block[] = [
    paragraph(`This link is personal to ${approver.name} (${approver.email}): do not forward it.`),
    ...(approver.onBehalfOf
      ? [
          paragraph(
            `You are asked on behalf of ${approver.onBehalfOf.name} (${approver.onBehalfOf.email}), who named you as their delegate while out of office; your decision is recorded as made on their behalf.`,
          ),
        ]
      : []),
    link('Out of office? Name a delegate for your approvals', delegationUrl(approvalUrl)),
  ];
  const bodyEnd = email.html.lastIndexOf('</body>');
  return {
    subject: email.subject,
    html: `${email.html.slice(0, bodyEnd)}${blocks.map((b) => b.html.toString()).join('')}${email.html.slice(bodyEnd)}`,
    text: [email.text, ...blocks.map((b) => b.text)].join('\n\n'),
  };
}

/** The delegation page of a personal approval link. */
export const delegationUrl = (approvalUrl: string) => `${approvalUrl}/delegate`;
