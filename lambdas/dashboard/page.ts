import { formatIst } from '../core/calendar';
import type { Pipeline } from '../onboarding/pipeline';
import { escapeHtml, type HtmlValue, html, raw, type SafeHtml } from '../shared/html';
import type { DashboardFigures } from './figures';
import { FIGURES_ELEMENT_ID, monthLabel } from './labels';

/**
 * The dashboard page: every figure as HTML (tiles and tables, readable without script and by screen
 * readers), plus canvases the bundled chart script (./client) draws from the same figures, which the
 * page carries as a JSON data block. The page loads nothing but its own script and stylesheet.
 */

export const DASHBOARD_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** Where the page's script and stylesheet are, with a version that changes with their content. */
export interface PageAssets {
  readonly scriptUrl: string;
  readonly stylesheetUrl: string;
}

/**
 * Made by the first page rendered, not at import: creating an `Intl.NumberFormat` loads ICU's locale data
 * (≈ 10 ms of CPU), which the function's asset requests never need (docs/dashboard.md, Cold start).
 */
let numberFormat: Intl.NumberFormat | undefined;
function formatNumber(value: number): string {
  numberFormat ??= new Intl.NumberFormat('en-IN');
  return numberFormat.format(value);
}

/** A number cell that tests and scripts can read exactly (data-value) and people read grouped. */
const numberCell = (value: number) => html`<td class="num" data-value="${value}">${formatNumber(value)}</td>`;

function table(
  caption: string,
  headings: readonly string[],
  rows: readonly HtmlValue[],
  options: { id: string; empty: string },
): SafeHtml {
  if (rows.length === 0) return html`<p class="muted" id="${options.id}">${options.empty}</p>`;
  return html`<div class="table-scroll"><table id="${options.id}">
<caption>${caption}</caption>
<thead><tr>${headings.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>${rows}</tbody>
</table></div>`;
}

function chart(id: string, label: string): SafeHtml {
  return html`<div class="chart"><canvas id="${id}" role="img" aria-label="${label}"></canvas></div>`;
}

function tile(id: string, label: string, value: number, note?: string): SafeHtml {
  return html`<div class="tile" id="${id}"><span class="tile-label">${label}</span>
<span class="tile-value" data-value="${value}">${formatNumber(value)}</span>${note ? html`<span class="tile-note">${note}</span>` : ''}</div>`;
}

/** JSON inside a script element: `<` escaped so no string can close the element. */
function jsonDataBlock(id: string, value: unknown): SafeHtml {
  const json = JSON.stringify(value).replace(/</g, '\\u003c');
  return raw(`<script type="application/json" id="${escapeHtml(id)}">${json}</script>`);
}

/** The pipeline's counts by status, as the page lists them: open ones first, then how the others ended. */
function pipelineStatuses(pipeline: Pipeline): [string, string, number][] {
  return [
    ['open', 'In progress (all steps)', pipeline.inProgress],
    ['stalled', 'of which stalled, waiting for an admin', pipeline.stalled],
    ['attention', 'of which paused by a failure, waiting for an admin', pipeline.attention],
    ['live', 'Went live', pipeline.live],
    ['rejected', 'Rejected', pipeline.rejected],
    ['cancelled', 'Cancelled by DeGS', pipeline.cancelled],
  ];
}

export function renderDashboard(figures: DashboardFigures, assets: PageAssets): string {
  const { pipeline } = figures;
  const body = html`
<section class="tiles" aria-label="Key figures">
${tile('tile-as-of-day', 'e-Transactions on the day', figures.totalOnAsOf, figures.asOf)}
${tile('tile-window', `e-Transactions, last ${figures.byDay.length} days`, figures.totalInDays, `${figures.days.from} to ${figures.days.to}`)}
${tile('tile-live-services', 'Live services', figures.liveServices)}
${tile('tile-silent-services', 'Silent services on the day', figures.silentServices.length)}
${tile('tile-onboarding', 'Departments onboarding', pipeline.inProgress)}
${tile('tile-overdue', 'Onboardings overdue', pipeline.overdue)}
</section>

<section aria-labelledby="by-day-title">
<h2 id="by-day-title">e-Transactions by day</h2>
${chart('chart-by-day', `Live e-transactions per day from ${figures.days.from} to ${figures.days.to}`)}
<details><summary>The numbers</summary>
${table(
  'e-Transactions by day',
  ['Date', 'e-Transactions'],
  figures.byDay.map((d) => html`<tr><th scope="row">${d.date}</th>${numberCell(d.total)}</tr>`),
  { id: 'table-by-day', empty: 'No days.' },
)}
</details>
</section>

<section aria-labelledby="by-month-title">
<h2 id="by-month-title">e-Transactions by month</h2>
${chart('chart-by-month', `Live e-transactions per month from ${monthLabel(figures.byMonth[0]?.month ?? figures.asOf.slice(0, 7))}`)}
<details><summary>The numbers</summary>
${table(
  'e-Transactions by month',
  ['Month', 'e-Transactions'],
  figures.byMonth.map(
    (m) =>
      html`<tr><th scope="row" data-month="${m.month}">${monthLabel(m.month)}</th>${numberCell(m.total)}</tr>`,
  ),
  { id: 'table-by-month', empty: 'No months.' },
)}
</details>
</section>

<div class="columns">
<section aria-labelledby="by-category-title">
<h2 id="by-category-title">By category</h2>
${chart('chart-by-category', 'Live e-transactions by service category, last 30 days')}
${table(
  `Last ${figures.byDay.length} days`,
  ['Category', 'e-Transactions'],
  figures.byCategory.map(
    (c) =>
      html`<tr data-category="${c.category}"><th scope="row">${c.category}</th>${numberCell(c.total)}</tr>`,
  ),
  { id: 'table-by-category', empty: 'No categories.' },
)}
</section>

<section aria-labelledby="by-department-title">
<h2 id="by-department-title">By department</h2>
${chart('chart-by-department', 'Live e-transactions by department, last 30 days')}
${table(
  `Last ${figures.byDay.length} days`,
  ['Department', 'e-Transactions'],
  figures.byDepartment.map(
    (d) =>
      html`<tr data-department="${d.departmentCode}"><th scope="row">${d.departmentName} <span class="muted">(${d.departmentCode})</span></th>${numberCell(d.total)}</tr>`,
  ),
  { id: 'table-by-department', empty: 'No live e-transactions in these days.' },
)}
</section>
</div>

<section aria-labelledby="top-services-title">
<h2 id="top-services-title">Top services</h2>
${table(
  `Most e-transactions, last ${figures.byDay.length} days`,
  ['Service', 'Department', 'e-Transactions'],
  figures.topServices.map(
    (s) =>
      html`<tr data-service="${s.serviceCode}"><th scope="row">${s.serviceName} <span class="muted">${s.serviceCode}</span></th><td>${s.departmentCode}</td>${numberCell(s.total)}</tr>`,
  ),
  { id: 'table-top-services', empty: 'No live e-transactions in these days.' },
)}
</section>

<section aria-labelledby="silent-title">
<h2 id="silent-title">Silent services on ${figures.asOf}</h2>
<p class="muted">Live services that sent no count for the day (a count of 0 is a report, not silence).</p>
${table(
  `${figures.silentServices.length} of ${figures.liveServices} live services`,
  ['Service', 'Department', 'Category'],
  figures.silentServices.map(
    (s) =>
      html`<tr data-service="${s.serviceCode}"><th scope="row">${s.serviceName} <span class="muted">${s.serviceCode}</span></th><td>${s.departmentCode}</td><td>${s.category}</td></tr>`,
  ),
  { id: 'table-silent-services', empty: 'Every live service sent its count.' },
)}
</section>

<section aria-labelledby="pipeline-title">
<h2 id="pipeline-title">Onboarding pipeline</h2>
<p class="muted">Departments' onboardings at each step of the e-Taal Integration SoP, and how the others ended.</p>
${chart('chart-pipeline', 'Onboardings in progress at each SoP step, overdue ones apart')}
${table(
  'Onboardings in progress by SoP step',
  ['Step', 'In progress', 'Overdue'],
  pipeline.steps.map(
    (s) =>
      html`<tr data-step="${s.step}"><th scope="row">${s.step}. ${s.title}</th>${numberCell(s.onboardings)}${numberCell(s.overdue)}</tr>`,
  ),
  { id: 'table-pipeline', empty: 'No steps.' },
)}
${table(
  'Onboardings by status',
  ['Status', 'Onboardings'],
  pipelineStatuses(pipeline).map(
    ([status, label, count]) =>
      html`<tr data-status="${status}"><th scope="row">${label}</th>${numberCell(count)}</tr>`,
  ),
  { id: 'table-pipeline-status', empty: 'No onboardings.' },
)}
</section>

<form method="get" class="as-of" aria-label="Show another day">
<label for="as-of-date">Figures as of</label>
<input type="date" id="as-of-date" name="date" value="${figures.asOf}" required>
<button type="submit">Show</button>
</form>
`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>e-Taal Delhi dashboard · ${figures.asOf}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${assets.stylesheetUrl}">
<script src="${assets.scriptUrl}" defer></script>
</head>
<body>
<header><p>e-Taal Delhi · Delhi e-Governance Society</p>
<h1>e-Transactions of GNCTD departments</h1>
<p class="muted" id="as-of">Figures as of <time datetime="${figures.asOf}">${figures.asOf}</time>; read ${formatIst(new Date(figures.generatedAt))}. Live services only, as counted for national e-Taal.</p>
</header>
<main id="main">${body}</main>
<footer><p>Public totals of e-Taal Delhi. Counts are pushed by departments daily and may be corrected for past days.</p></footer>
${jsonDataBlock(FIGURES_ELEMENT_ID, figures)}
</body>
</html>
`.toString();
}

/** A page for people who asked for something the dashboard cannot show (a bad date). */
export function renderDashboardError(message: string): string {
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>e-Taal Delhi dashboard</title></head>
<body><h1>e-Taal Delhi dashboard</h1><p>${message}</p><p><a href="?">Show the latest figures</a></p></body>
</html>
`.toString();
}
