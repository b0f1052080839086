import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, html, PAGE_CONTENT_SECURITY_POLICY, raw, renderPage } from './html';

describe('escapeHtml', () => {
  it('escapes every character that can open a tag, end an attribute or start an entity', () => {
    expect(escapeHtml(`<a href="x" title='y'>&\`</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;',
    );
  });

  it('leaves ordinary text, including Devanagari, untouched', () => {
    expect(escapeHtml('Delhi Jal Board – जल बोर्ड 42')).toBe('Delhi Jal Board – जल बोर्ड 42');
  });
});

describe('html template', () => {
  it('escapes interpolated text but keeps the template markup', () => {
    const name = '<script>alert(1)</script>';
    expect(html`<p>${name}</p>`.toString()).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });

  it('inserts nested fragments and raw() markup as they are, and nothing for null, undefined and false', () => {
    const items = ['a<b', 'c'].map((text) => html`<li>${text}</li>`);
    const out = html`<ul>${items}</ul>${raw('<hr>')}${null}${undefined}${false}${0}`.toString();
    expect(out).toBe('<ul><li>a&lt;b</li><li>c</li></ul><hr>0');
  });

  it('never lets an interpolated string produce markup, whatever it contains', () => {
    const hostile = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.constantFrom('<script>', '"><img src=x onerror=alert(1)>', "'><svg onload=alert(1)>", '`', '&lt;'),
    );
    fc.assert(
      fc.property(fc.array(hostile, { maxLength: 5 }), hostile, (list, single) => {
        const out = html`<div title="${single}">${single}<ul>${list.map((s) => html`<li>${s}</li>`)}</ul></div>`;
        const withoutTemplateMarkup = out
          .toString()
          .replace(/<\/?(div|ul|li)>|<div title="|">/g, '')
          .replace(/&(amp|lt|gt|quot|#39|#96);/g, '');
        expect(withoutTemplateMarkup).not.toMatch(/[<>"'`]/);
        expect(withoutTemplateMarkup).not.toContain('&');
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips: unescaping the output gives back the input', () => {
    const decode = (s: string) =>
      s
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&#96;/g, '`')
        .replace(/&amp;/g, '&');
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => decode(html`${s}`.toString()) === s));
  });
});

describe('renderPage', () => {
  it('produces a self-contained document with an escaped title and no script or external asset', () => {
    const doc = renderPage({ title: 'Approve <b>"x"</b>', body: html`<p>${'<i>hi</i>'}</p>` });
    expect(doc.startsWith('<!doctype html>')).toBe(true);
    expect(doc).toContain('<html lang="en">');
    expect(doc).toContain('<title>Approve &lt;b&gt;&quot;x&quot;&lt;/b&gt; · e-Taal Delhi</title>');
    expect(doc).toContain('<h1>Approve &lt;b&gt;&quot;x&quot;&lt;/b&gt;</h1>');
    expect(doc).toContain('<p>&lt;i&gt;hi&lt;/i&gt;</p>');
    expect(doc).not.toMatch(/<script|<link|src=|url\(/i);
  });

  it('ships a CSP that allows no script and only same-origin form posts', () => {
    expect(PAGE_CONTENT_SECURITY_POLICY).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    );
  });
});
