import { sopStep } from '../core/sop';
import type { Dossier, DossierDecision, DossierService, ServiceTestCounts } from '../onboarding/dossier';
import { coApproverLine, countsLine } from '../onboarding/dossier-email';
import { html, type SafeHtml } from '../shared/html';
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

function templatesTable(services: readonly DossierService[]): SafeHtml {
  return html`<div class="scroll"><table>
<caption class="muted">Service details template, one row per service</caption>
<thead><tr><th scope="col">Service Name</th><th scope="col">Service Description</th><th scope="col">Online / OCe</th><th scope="col">Category</th><th scope="col">Mission Mode Project</th></tr></thead>
<tbody>${services.map(
    ({ serviceName, template }) =>
      html`<tr><th scope="row">${serviceName}</th><td>${dash(template?.serviceDescription)}</td><td>${dash(template?.deliveryMode)}</td><td>${dash(template?.category)}</td><td>${yesNo(template?.missionModeProject)}</td></tr>`,
  )}</tbody>
</table></div>`;
}

function servicesToRegister(step: number, services: readonly DossierService[]): SafeHtml {
  return html`<div class="scroll"><table>
<caption class="muted">Pressing "${approveLabel(step)}" issues one Government Service Code per service.</caption>
<thead><tr><th scope="col">Service Name</th><th scope="col">Category</th><th scope="col">Online / OCe</th><th scope="col">Mission Mode Project</th></tr></thead>
<tbody>${services.map(
    ({ serviceName, template }) =>
      html`<tr><th scope="row">${serviceName}</th><td>${dash(template?.category)}</td><td>${dash(template?.deliveryMode)}</td><td>${yesNo(template?.missionModeProject)}</td></tr>`,
  )}</tbody>
</table></div>`;
}

function servicesWithCodes(services: readonly DossierService[]): SafeHtml {
  return html`<div class="scroll"><table>
<thead><tr><th scope="col">Government Service Code</th><th scope="col">Service Name</th></tr></thead>
<tbody>${services.map(
    (s) => html`<tr><td>${s.serviceCode ?? 'not issued yet'}</td><th scope="row">${s.serviceName}</th></tr>`,
  )}</tbody>
</table></div>`;
}

function servicesSection(dossier: Dossier): SafeHtml {
  switch (dossier.section) {
    case 'templates':
      return html`<h2>Submitted service details</h2>${templatesTable(dossier.services)}`;
    case 'servicesToRegister':
      return html`<h2>Services to register</h2>${servicesToRegister(dossier.step, dossier.services)}`;
    default:
      return html`<h2>Services</h2>${servicesWithCodes(dossier.services)}`;
  }
}

function testCountsSection(counts: readonly ServiceTestCounts[]): SafeHtml {
  const silent = counts.filter((c) => !c.received);
  return html`<h2>Test counts received, per service</h2>
${
  silent.length > 0 &&
  html`<p class="notice bad" role="alert">${String(silent.length)} of ${String(counts.length)} service(s) sent no test counts: ${silent.map((c) => c.serviceName).join(', ')}.</p>`
}
<div class="scroll"><table>
<thead><tr><th scope="col">Government Service Code</th><th scope="col">Service Name</th><th scope="col">Test counts</th></tr></thead>
<tbody>${counts.map(
    (c) =>
      html`<tr${c.received ? '' : html` class="flagged"`}><td>${dash(c.serviceCode)}</td><th scope="row">${c.serviceName}</th><td>${c.received ? countsLine(c) : html`<strong>${countsLine(c)}</strong>`}</td></tr>`,
  )}</tbody>
</table></div>`;
}

function decisionsTable(decisions: readonly DossierDecision[], signedCopy?: SignedCopy): SafeHtml {
  // The signed copy belongs to the latest sign-off of the step that signs the templates.
  const signOff =
    signedCopy && decisions.filter((d) => d.decision === 'approve' && d.role === 'competentAuthority').at(-1);
  return html`<div class="scroll"><table>
<thead><tr><th scope="col">Step</th><th scope="col">Decision</th><th scope="col">By</th><th scope="col">When (IST)</th><th scope="col">Comment</th></tr></thead>
<tbody>${decisions.map(
    (d) =>
      html`<tr><td>${String(d.step)}. ${d.stepTitle}</td><td>${d.verb}${
        d === signOff &&
        html`<br><a href="${signedCopy?.url ?? ''}" download>Signed copy (PDF)</a>: ${signedCopy?.line ?? ''}`
      }</td><td>${d.who}</td><td>${d.at}</td><td>${dash(d.comment)}</td></tr>`,
  )}</tbody>
</table></div>`;
}

export function dossierSection(dossier: Dossier, signedCopy?: SignedCopy): SafeHtml {
  return html`${departmentSection(dossier)}${servicesSection(dossier)}${
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
