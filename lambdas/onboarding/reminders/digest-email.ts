import { formatIst } from '../../core/calendar';
import { html } from '../../shared/html';
import { type Block, type Email, heading, list, paragraph } from '../emails';
import { WAITS } from '../workflow/waits';
import type { Digest, DigestLine } from './digest';

/**
 * The daily digest of one person's waiting tasks (./digest.ts). It carries no approval link: links are
 * credentials kept only as hashes, so each task's own email (sent when the task started) has it; the
 * digest says which email that is.
 */

function state(line: DigestLine): string {
  if (line.dueSoon) return 'due soon';
  if (line.wait.overdue) return 'overdue';
  return 'waiting';
}

function lineTitle(line: DigestLine): string {
  const due = line.wait.dueAt ? `due ${formatIst(new Date(line.wait.dueAt))}` : 'no due date';
  return `${line.departmentName} (${line.departmentCode}), step ${line.wait.step} of 12: ${line.wait.stepTitle} - ${due} [${state(line)}]`;
}

function whereToAct(line: DigestLine, baseUrl: string): string {
  const spec = WAITS[line.wait.phase];
  const action = spec.action.replace('{onboardingId}', line.onboardingId);
  if (spec.kind === 'templates') {
    return `${action} (${baseUrl}/v1/onboardings/${line.onboardingId}/templates)`;
  }
  const sent = line.wait.since ? ` sent ${formatIst(new Date(line.wait.since))}` : '';
  return `${action} Use the link in the e-Taal Delhi email${sent} for this step (reference ${line.onboardingId}); if it is lost, ask the e-Taal Delhi admin to resend it.`;
}

export function digestEmail(digest: Digest, baseUrl: string): Email {
  const soon = digest.lines.filter((line) => line.dueSoon).length;
  const title = `${digest.lines.length} e-Taal onboarding task${digest.lines.length === 1 ? '' : 's'} waiting for you`;
  const blocks: Block[] = [
    paragraph(`Dear ${digest.recipient.name},`),
    paragraph(
      `${soon === 1 ? 'One task is' : `${soon} tasks are`} due by the end of the next working day. This is your one reminder of the day: every task waiting for you is below.`,
    ),
    ...digest.lines.flatMap((line) => [heading(lineTitle(line)), list([whereToAct(line, baseUrl)])]),
    paragraph(
      'A reminder comes on the working day before a due date, at most once a day. A task past its due date is escalated and comes with a new link.',
    ),
    paragraph('This message was sent by e-Taal Delhi (Delhi e-Governance Society).'),
  ];
  return {
    subject: `e-Taal Delhi: ${title} (${soon} due soon)`,
    html: html`<!doctype html><html lang="en"><body style="font-family: sans-serif"><h2>${title}</h2>${blocks.map(
      (b) => b.html,
    )}</body></html>`.toString(),
    text: [title, '='.repeat(title.length), ...blocks.map((b) => b.text)].join('\n\n'),
  };
}
