/**
 * HTML output for approval pages and emails. Department-supplied text (service names, descriptions,
 * comments) ends up in pages that approvers open from their mailbox, so every interpolation is escaped
 * unless the caller explicitly marks a fragment as trusted with `raw()`.
 *
 * Escaping covers text and *quoted* attribute values. Always quote attributes, and never put
 * department-supplied text into `href`, `src`, `style` or event-handler attributes: escaping does not make
 * a `javascript:` URL safe.
 */

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  // Backticks delimit attribute values in old IE parsers; escaping them costs nothing.
  '`': '&#96;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (char) => ENTITIES[char] ?? char);
}

/** A string that is already HTML. Only `html` and `raw` make one, so its origin is always visible. */
export class SafeHtml {
  readonly #html: string;

  constructor(trustedHtml: string) {
    this.#html = trustedHtml;
  }

  toString(): string {
    return this.#html;
  }
}

/**
 * What may be interpolated: text (escaped), numbers, already-safe fragments, lists of those (joined with
 * nothing), and `null`/`undefined`/`false` (render nothing, so `${cond && html`...`}` works).
 */
export type HtmlValue = SafeHtml | string | number | bigint | null | undefined | false | readonly HtmlValue[];

/** Marks trusted markup (constants written in this code base) as HTML. Never pass user input here. */
export function raw(trustedHtml: string): SafeHtml {
  return new SafeHtml(trustedHtml);
}

function renderValue(value: unknown): string {
  if (value instanceof SafeHtml) return value.toString();
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(renderValue).join('');
  return escapeHtml(String(value));
}

/** Tagged template: the literal parts are trusted markup, every `${value}` is escaped. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    out += renderValue(values[i]) + (strings[i + 1] ?? '');
  }
  return new SafeHtml(out);
}

/**
 * Content-Security-Policy for every page we serve: no scripts, images, fonts or frames at all; only the
 * inline stylesheet of `renderPage`; forms may only post back to this origin.
 */
export const PAGE_CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/**
 * Response headers for an HTML page. The page URL may itself be a credential (approval links), hence no
 * caching, no referrer, no indexing.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': PAGE_CONTENT_SECURITY_POLICY,
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'X-Robots-Tag': 'noindex, nofollow',
};

const STYLES = `
:root { color-scheme: light; --ink: #1b1b1b; --muted: #4a4a4a; --line: #c8c8c8; --accent: #0b4f8a; --bad: #9b1c1c; --ok: #1d5e20; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--ink); background: #fff; }
header, main, footer { max-width: 60rem; margin: 0 auto; padding: 1rem 1.25rem; }
header { border-bottom: 3px solid var(--accent); }
header p { margin: 0; font-weight: 600; color: var(--accent); }
footer { border-top: 1px solid var(--line); color: var(--muted); font-size: 0.875rem; }
h1 { font-size: 1.5rem; line-height: 1.25; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.75rem 0 0.5rem; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: 0.4rem 0.5rem; text-align: left; vertical-align: top; overflow-wrap: break-word; white-space: pre-line; }
th { background: #f2f4f7; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; white-space: pre-line; }
fieldset { border: 1px solid var(--line); padding: 0.75rem 1rem; margin: 1rem 0; }
legend { font-weight: 600; padding: 0 0.25rem; }
label { display: block; margin: 0.25rem 0; }
textarea { width: 100%; min-height: 6rem; font: inherit; padding: 0.5rem; }
button { font: inherit; padding: 0.5rem 1.25rem; background: var(--accent); color: #fff; border: 0; border-radius: 0.25rem; cursor: pointer; }
button:focus, input:focus, textarea:focus { outline: 3px solid #f6b40e; outline-offset: 2px; }
.notice { border-left: 4px solid var(--accent); background: #eef4fa; padding: 0.75rem 1rem; margin: 1rem 0; }
.notice.bad { border-color: var(--bad); background: #fbeeee; }
.notice.ok { border-color: var(--ok); background: #edf7ee; }
.muted { color: var(--muted); }
p, li, code { overflow-wrap: anywhere; }
tr.flagged th, tr.flagged td { background: #fbeeee; }
@media (max-width: 30rem) {
  dl { grid-template-columns: 1fr; } dd { margin-bottom: 0.5rem; }
  table.stack, table.stack tbody, table.stack tr, table.stack th[scope="row"], table.stack td { display: block; width: 100%; }
  table.stack thead { display: none; }
  table.stack tr { border: 1px solid var(--line); margin-bottom: 0.75rem; }
  table.stack th[scope="row"], table.stack td { border: 0; border-bottom: 1px solid var(--line); }
  table.stack [data-label]::before { content: attr(data-label) ": "; font-weight: 600; }
}
`;

export interface PageOptions {
  /** Plain text for `<title>` and the `<h1>`; escaped. */
  readonly title: string;
  readonly body: SafeHtml;
}

/** A complete, self-contained HTML document: no external assets, no script. */
export function renderPage({ title, body }: PageOptions): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${title} · e-Taal Delhi</title>
<style>${raw(STYLES)}</style>
</head>
<body>
<header><p>e-Taal Delhi · Delhi e-Governance Society</p></header>
<main id="main">
<h1>${title}</h1>
${body}
</main>
<footer><p>e-Taal Integration SoP for GNCTD departments.</p></footer>
</body>
</html>
`.toString();
}
