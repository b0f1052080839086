import type { CoApprover, Dossier, DossierDecision, ServiceTestCounts } from './dossier';
import { type Block, heading, paragraph, table, templatesTable } from './emails';

/**
 * The decision dossier (./dossier.ts) as blocks of an approval email, in the same order as on the
 * approval page: department, services, test counts, co-approvers, recap, history.
 */

const dash = (value: string | undefined) => value ?? '—';

export function decisionsTable(decisions: readonly DossierDecision[]): Block {
  return table(
    ['Step', 'Decision', 'By', 'When', 'Comment'],
    decisions.map((d) => [`${d.step}. ${d.stepTitle}`, d.verb, d.who, d.at, dash(d.comment)]),
  );
}

function servicesBlocks(dossier: Dossier): Block[] {
  if (dossier.section === 'templates') {
    const templates = dossier.services.flatMap((s) => (s.template ? [s.template] : []));
    return [heading('Submitted service details'), templatesTable(templates)];
  }
  return [
    heading('Services'),
    table(
      ['Service Name', 'Government Service Code'],
      dossier.services.map((s) => [s.serviceName, s.serviceCode ?? '(not issued yet)']),
    ),
  ];
}

export const countsLine = (c: ServiceTestCounts): string =>
  c.received
    ? `${c.total} in total, ${c.days} day(s) from ${c.firstDate} to ${c.lastDate}, ${c.locations} location(s)`
    : 'NONE RECEIVED: this service has sent no test count';

/** The services that sent no test counts, in one sentence; undefined when every one did. */
export function silentServicesLine(counts: readonly ServiceTestCounts[]): string | undefined {
  const silent = counts.filter((c) => !c.received);
  if (silent.length === 0) return undefined;
  return `${silent.length} of ${counts.length} service(s) sent no test counts: ${silent.map((c) => c.serviceName).join(', ')}.`;
}

function testCountsBlocks(counts: readonly ServiceTestCounts[]): Block[] {
  const silent = silentServicesLine(counts);
  return [
    heading('Test counts received, per service'),
    ...(silent ? [paragraph(`Attention: ${silent}`)] : []),
    table(
      ['Service Name', 'Government Service Code', 'Test counts'],
      counts.map((c) => [c.serviceName, dash(c.serviceCode), countsLine(c)]),
    ),
  ];
}

export function coApproverLine(co: CoApprover): string {
  if (!co.decision) return `${co.roleLabel}: has not decided yet.`;
  const comment = co.decision.comment ? ` Comment: ${co.decision.comment}` : '';
  return `${co.roleLabel}: ${co.decision.verb} by ${co.decision.who} on ${co.decision.at}.${comment}`;
}

export function dossierBlocks(dossier: Dossier): Block[] {
  return [
    heading('Department'),
    paragraph(
      `${dossier.department.name} (${dossier.department.code}). Nodal officer: ${dossier.nodalOfficer.name}, ${dossier.nodalOfficer.designation} <${dossier.nodalOfficer.email}>. Competent authority (HoD): ${dossier.competentAuthority.name}, ${dossier.competentAuthority.designation}.`,
    ),
    // Where test counts are listed, their table names every service with its code.
    ...(dossier.testCounts ? [] : servicesBlocks(dossier)),
    ...(dossier.testCounts ? testCountsBlocks(dossier.testCounts) : []),
    ...(dossier.coApprovers
      ? [
          heading('The other approval this step needs'),
          ...dossier.coApprovers.map((co) => paragraph(coApproverLine(co))),
        ]
      : []),
    ...(dossier.recap
      ? [
          heading(dossier.recap.heading),
          dossier.recap.decisions.length > 0
            ? decisionsTable(dossier.recap.decisions)
            : paragraph('None recorded.'),
        ]
      : []),
    heading('History: earlier decisions'),
    dossier.history.length > 0 ? decisionsTable(dossier.history) : paragraph('No earlier decisions.'),
  ];
}
