import { sopStep } from '../core/sop';
import type { Dossier, DossierDecision, DossierService, ServiceTestCounts } from '../onboarding/dossier';
import { coApproverLine, countsLine, silentServicesLine } from '../onboarding/dossier-email';
import { type HtmlValue, html, type SafeHtml } from '../shared/html';
import { approveLabel } from './approval';

/**
 * The decision dossier (onboarding/dossier.ts) as the HTML of an approval page: department, services
 * (the full templates at the template steps, names and codes after), test counts per service, the
 * co-approver's status, a recap the step asks for, and the history of earlier decisions.
 */

/** The HoD's signed copy of the templates, linked from the sign-off in the history. */
export interface SignedCopy {
  readonly url: string;
  readonly line: string;
}

const dash = (value: string | undefined) => value ?? '—';
const yesNo = (value: boolean | undefined) => (value === undefined ? '—' : value ? 'Yes' : 'No');

function departmentSection(dossier: Dossier): SafeHtml {
  const { department, nodalOfficer, competentAuthority } = dossier;
  return html`<h2>Department</h2>
<dl>
<dt>Department</dt><dd><strong>${department.name}</strong> (${department.code})</dd>
<dt>Nodal officer</dt><dd>${nodalOfficer.name}, ${nodalOfficer.designation} &lt;${nodalOfficer.email}&gt;</dd>
<dt>Competent authority (HoD)</dt><dd>${competentAuthority.name}, ${competentAuthority.designation}</dd>
<dt>Reference</dt><dd><code>${dossier.onboardingId}</code></dd>
</dl>`;
}

/** One column of a dossier table: its header, and its cell of a row (the row's header cell if `rowHeader`). */
interface Column<T> {
  readonly header: string;
  readonly cell: (row: T) => HtmlValue;
  readonly rowHeader?: boolean;
}

/**
 * A table that becomes one card per row on a phone (html.ts `table.stack`): each cell then shows its
 * column's header (`data-label`), so nothing scrolls sideways at 360 px.
 */
function stackTable<T>(
  rows: readonly T[],
  columns: readonly Column<T>[],
  options: { caption?: HtmlValue; flagged?: (row: T) => boolean } = {},
): SafeHtml {
  return html`<table class="stack">
${options.caption && html`<caption class="muted">${options.caption}</caption>`}
<thead><tr>${columns.map((c) => html`<th scope="col">${c.header}</th>`)}</tr></thead>
<tbody>${rows.map(
    (row) =>
      html`<tr${options.flagged?.(row) && html` class="flagged"`}>${columns.map((c) =>
        c.rowHeader
          ? html`<th scope="row" data-label="${c.header}">${c.cell(row)}</th>`
          : html`<td data-label="${c.header}">${c.cell(row)}</td>`,
      )}</tr>`,
  )}</tbody>
</table>`;
}

const NAME: Column<DossierService> = { header: 'Service Name', cell: (s) => s.serviceName, rowHeader: true };
const CODE: Column<DossierService> = {
  header: 'Government Service Code',
  cell: (s) => s.serviceCode ?? 'not issued yet',
};
const DELIVERY: Column<DossierService> = {
  header: 'Online / OCe',
  cell: (s) => dash(s.template?.deliveryMode),
};
const CATEGORY: Column<DossierService> = { header: 'Category', cell: (s) => dash(s.template?.category) };
const MISSION_MODE: Column<DossierService> = {
  header: 'Mission Mode Project',
  cell: (s) => yesNo(s.template?.missionModeProject),
};
const DESCRIPTION: Column<DossierService> = {
  header: 'Service Description',
  cell: (s) => dash(s.template?.serviceDescription),
};

function servicesSection(dossier: Dossier): SafeHtml {
  switch (dossier.section) {
    case 'templates':
      return html`<h2>Submitted service details</h2>${stackTable(
        dossier.services,
        [NAME, DESCRIPTION, DELIVERY, CATEGORY, MISSION_MODE],
        { caption: 'Service details template, one row per service' },
      )}`;
    case 'servicesToRegister':
      return html`<h2>Services to register</h2>${stackTable(
        dossier.services,
        [NAME, CATEGORY, DELIVERY, MISSION_MODE],
        {
          caption: `Pressing "${approveLabel(dossier.step)}" issues one Government Service Code per service.`,
        },
      )}`;
    default:
      return html`<h2>Services</h2>${stackTable(dossier.services, [CODE, NAME])}`;
  }
}

function testCountsSection(counts: readonly ServiceTestCounts[]): SafeHtml {
  const silent = silentServicesLine(counts);
  return html`<h2>Test counts received, per service</h2>
${silent && html`<p class="notice bad" role="alert">${silent}</p>`}
${stackTable(
  counts,
  [
    { header: 'Government Service Code', cell: (c) => dash(c.serviceCode) },
    { header: 'Service Name', cell: (c) => c.serviceName, rowHeader: true },
    {
      header: 'Test counts',
      cell: (c) => (c.received ? countsLine(c) : html`<strong>${countsLine(c)}</strong>`),
    },
  ],
  { flagged: (c) => !c.received },
)}
${
  counts.some((c) => c.received) &&
  html`<details><summary>Every test count received</summary>${stackTable(
    counts.flatMap((c) => c.counts.map((count) => ({ ...count, serviceCode: c.serviceCode }))),
    [
      { header: 'Government Service Code', cell: (c) => dash(c.serviceCode) },
      { header: 'Date (IST)', cell: (c) => c.date },
      { header: 'Location', cell: (c) => c.locationCode },
      { header: 'Count', cell: (c) => c.count },
    ],
  )}</details>`
}`;
}

function decisionsTable(decisions: readonly DossierDecision[], signedCopy?: SignedCopy): SafeHtml {
  // The signed copy belongs to the latest sign-off of the competent authority.
  const signOff =
    signedCopy && decisions.filter((d) => d.decision === 'approve' && d.role === 'competentAuthority').at(-1);
  return stackTable(decisions, [
    { header: 'Step', cell: (d) => `${d.step}. ${d.stepTitle}` },
    {
      header: 'Decision',
      cell: (d) =>
        html`${d.verb}${d === signOff && html`<br><a href="${signedCopy?.url ?? ''}" download>Signed copy (PDF)</a>: ${signedCopy?.line ?? ''}`}`,
    },
    { header: 'By', cell: (d) => d.who },
    { header: 'When', cell: (d) => d.at },
    { header: 'Comment', cell: (d) => dash(d.comment) },
  ]);
}

export function dossierSection(dossier: Dossier, signedCopy?: SignedCopy): SafeHtml {
  // Where test counts are listed, their table names every service with its code.
  return html`${departmentSection(dossier)}${!dossier.testCounts && servicesSection(dossier)}${
    dossier.testCounts && testCountsSection(dossier.testCounts)
  }${
    dossier.coApprovers &&
    html`<h2>The other approval this step needs</h2><ul>${dossier.coApprovers.map(
      (co) => html`<li class="${co.status === 'waiting' ? 'muted' : ''}">${coApproverLine(co)}</li>`,
    )}</ul><p class="muted">${sopStep(dossier.step).completion.description}</p>`
  }${
    dossier.recap &&
    html`<h2>${dossier.recap.heading}</h2>${
      dossier.recap.decisions.length > 0
        ? decisionsTable(dossier.recap.decisions)
        : html`<p>None recorded.</p>`
    }`
  }<h2>History: earlier decisions</h2>${
    dossier.history.length > 0
      ? decisionsTable(dossier.history, signedCopy)
      : html`<p class="muted">No earlier decisions.</p>`
  }`;
}
