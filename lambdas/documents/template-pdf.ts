// fontkit's Indic shaper (Devanagari conjuncts, reordered matras) is generator code compiled for
// regenerator; without the runtime it throws on the first Devanagari syllable.
import 'regenerator-runtime/runtime.js';
import { createHash } from 'node:crypto';
import fontkit from '@pdf-lib/fontkit';
import {
  degrees,
  drawText,
  PDFDict,
  PDFDocument,
  type PDFFont,
  PDFHexString,
  PDFName,
  type PDFPage,
  PDFString,
  rgb,
} from 'pdf-lib';
import { formatIst } from '../core/calendar';
import type { ServiceTemplate } from '../core/template';
import type { Person } from '../core/workflow';
import { documentFont } from './fonts';

/**
 * The Service Details Template as a PDF (SoP step 3): what the competent authority signs. Pure apart from
 * reading the font files: the same input gives the same text and the same fingerprint.
 *
 * The fingerprint is the SHA-256 of the canonical template data (`canonicalTemplateData`): printed in
 * every page's footer and stored in the document information dictionary (`/EtaalTemplateSha256`), so a
 * printed or forwarded copy can be matched with the record.
 */

export interface TemplateDocumentInput {
  readonly onboardingId: string;
  readonly departmentName: string;
  readonly departmentCode: string;
  readonly nodalOfficer: Person;
  readonly competentAuthority: Person;
  readonly templatesVersion: number;
  readonly submissionId: string;
  /** ISO instant of the submission: the document's date. */
  readonly submittedAt: string;
  readonly services: readonly ServiceTemplate[];
}

export interface RenderedTemplateDocument {
  readonly pdf: Uint8Array;
  /** SHA-256 (hex) of the canonical template data. */
  readonly fingerprint: string;
  /** SHA-256 (hex) of the PDF file itself. */
  readonly sha256: string;
  readonly pages: number;
}

export const FINGERPRINT_INFO_KEY = 'EtaalTemplateSha256';

const person = (p: Person) => ({
  name: p.name,
  designation: p.designation,
  email: p.email,
  phone: p.phone ?? null,
});

/**
 * The data the fingerprint covers, as JSON with a fixed key order: everything the document states except
 * the rendering itself (fonts, layout, page count).
 */
export function canonicalTemplateData(input: TemplateDocumentInput): string {
  return JSON.stringify({
    format: 'etaal-delhi/service-details-template/v1',
    onboardingId: input.onboardingId,
    department: { name: input.departmentName, code: input.departmentCode },
    nodalOfficer: person(input.nodalOfficer),
    competentAuthority: person(input.competentAuthority),
    templatesVersion: input.templatesVersion,
    submissionId: input.submissionId,
    submittedAt: input.submittedAt,
    services: input.services.map((s) => ({
      serviceName: s.serviceName,
      serviceDescription: s.serviceDescription,
      deliveryMode: s.deliveryMode,
      category: s.category,
      missionModeProject: s.missionModeProject,
    })),
  });
}

export function templateFingerprint(input: TemplateDocumentInput): string {
  return createHash('sha256').update(canonicalTemplateData(input), 'utf8').digest('hex');
}

// A4 in points, with margins that leave room for a binder's holes and the footer.
const PAGE = { width: 595.28, height: 841.89 } as const;
const MARGIN = { left: 56, right: 56, top: 56, bottom: 72 } as const;
const TEXT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const SIZE = { title: 15, heading: 12, body: 10, footer: 7.5 } as const;
const LEADING = 1.45;
const LABEL_WIDTH = 150;
const MUTED = rgb(0.35, 0.35, 0.35);

const DELIVERY_MODE_LABELS: Readonly<Record<ServiceTemplate['deliveryMode'], string>> = {
  Online: 'Online',
  OCe: 'OCe (over-the-counter electronic)',
};

const graphemes = new Intl.Segmenter('hi', { granularity: 'grapheme' });

type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];
type FontkitFont = ReturnType<Fontkit['create']>;

/**
 * fontkit shapes Devanagari slowly (about 0.3 ms a character: every GSUB lookup visits every glyph), and
 * pdf-lib shapes each string twice (to measure it, to encode it). Text is therefore shaped word by word,
 * once per distinct word of the document: descriptions repeat most of their words.
 */
function memoizingFontkit(kit: Fontkit): Fontkit {
  return {
    create(data: Uint8Array, postscriptName?: string): FontkitFont {
      const font = kit.create(data, postscriptName);
      const layout = font.layout.bind(font);
      const runs = new Map<string, ReturnType<FontkitFont['layout']>>();
      font.layout = (text, features) => {
        if (features !== undefined) return layout(text, features);
        let run = runs.get(text);
        if (!run) {
          run = layout(text);
          runs.set(text, run);
        }
        return run;
      };
      return font;
    },
  };
}

interface EncodedWord {
  readonly hex: string;
  readonly width: number;
}

/** Lays text out line by line, starting new pages as they fill. */
class Writer {
  private page!: PDFPage;
  private fontKeys = new Map<PDFFont, PDFName>();
  private y = 0;
  private readonly words = new Map<PDFFont, Map<string, { hex: string; unitWidth: number }>>();

  constructor(
    private readonly doc: PDFDocument,
    readonly regular: PDFFont,
    readonly bold: PDFFont,
  ) {
    this.newPage();
  }

  private newPage(): void {
    this.page = this.doc.addPage([PAGE.width, PAGE.height]);
    this.fontKeys = new Map();
    this.y = PAGE.height - MARGIN.top;
  }

  private ensure(height: number): void {
    if (this.y - height < MARGIN.bottom) this.newPage();
  }

  private encode(word: string, font: PDFFont, size: number): EncodedWord {
    let cache = this.words.get(font);
    if (!cache) {
      cache = new Map();
      this.words.set(font, cache);
    }
    let entry = cache.get(word);
    if (!entry) {
      entry = {
        hex: font.encodeText(word).toString().slice(1, -1),
        unitWidth: font.widthOfTextAtSize(word, 1),
      };
      cache.set(word, entry);
    }
    return { hex: entry.hex, width: entry.unitWidth * size };
  }

  /** Draws one line of words, separated by single spaces, as one text-showing operator. */
  drawWords(words: readonly string[], font: PDFFont, size: number, x: number, color = rgb(0, 0, 0)): void {
    if (words.length === 0) return;
    let key = this.fontKeys.get(font);
    if (!key) {
      key = this.page.node.newFontDictionary(font.name, font.ref);
      this.fontKeys.set(font, key);
    }
    const space = this.encode(' ', font, size).hex;
    const hex = words.map((word) => this.encode(word, font, size).hex).join(space);
    this.page.pushOperators(
      ...drawText(PDFHexString.of(hex), {
        color,
        font: key,
        size,
        x,
        y: this.y,
        rotate: degrees(0),
        xSkew: degrees(0),
        ySkew: degrees(0),
      }),
    );
  }

  /** Greedy line breaking at whitespace; a word wider than the line is broken between graphemes. */
  wrap(text: string, font: PDFFont, size: number, maxWidth: number): string[][] {
    const lines: string[][] = [];
    const space = this.encode(' ', font, size).width;
    for (const paragraph of text.split(/\r?\n/)) {
      let line: string[] = [];
      let lineWidth = 0;
      for (const word of paragraph.split(/\s+/u)) {
        if (word === '') continue;
        const pieces =
          this.encode(word, font, size).width <= maxWidth ? [word] : this.split(word, font, size, maxWidth);
        for (const piece of pieces) {
          const pieceWidth = this.encode(piece, font, size).width;
          if (line.length > 0 && lineWidth + space + pieceWidth > maxWidth) {
            lines.push(line);
            line = [];
            lineWidth = 0;
          }
          lineWidth += (line.length > 0 ? space : 0) + pieceWidth;
          line.push(piece);
        }
      }
      lines.push(line);
    }
    return lines;
  }

  private split(word: string, font: PDFFont, size: number, maxWidth: number): string[] {
    const pieces: string[] = [];
    let piece = '';
    for (const { segment } of graphemes.segment(word)) {
      if (piece !== '' && font.widthOfTextAtSize(piece + segment, size) > maxWidth) {
        pieces.push(piece);
        piece = '';
      }
      piece += segment;
    }
    if (piece !== '') pieces.push(piece);
    return pieces;
  }

  text(text: string, options: { font?: PDFFont; size?: number; gapAfter?: number } = {}) {
    const font = options.font ?? this.regular;
    const size = options.size ?? SIZE.body;
    const lineHeight = size * LEADING;
    for (const line of this.wrap(text, font, size, TEXT_WIDTH)) {
      this.ensure(lineHeight);
      this.y -= lineHeight;
      this.drawWords(line, font, size, MARGIN.left);
    }
    this.y -= options.gapAfter ?? 0;
  }

  /** A label in bold on the left, its value wrapped in the column to its right. */
  field(label: string, value: string): void {
    const size = SIZE.body;
    const lineHeight = size * LEADING;
    const lines = this.wrap(value, this.regular, size, TEXT_WIDTH - LABEL_WIDTH);
    const labelLines = this.wrap(label, this.bold, size, LABEL_WIDTH - 8);
    const rows = Math.max(lines.length, labelLines.length);
    for (let row = 0; row < rows; row++) {
      this.ensure(lineHeight);
      this.y -= lineHeight;
      this.drawWords(labelLines[row] ?? [], this.bold, size, MARGIN.left);
      this.drawWords(lines[row] ?? [], this.regular, size, MARGIN.left + LABEL_WIDTH);
    }
  }

  /** Two small grey lines at the foot of every page. */
  footers(lines: (page: number, pages: number) => readonly string[]): void {
    const pages = this.doc.getPages();
    pages.forEach((page, index) => {
      this.page = page;
      this.fontKeys = new Map();
      lines(index + 1, pages.length).forEach((line, row) => {
        this.y = 40 - row * 10;
        this.drawWords(line.split(' '), this.regular, SIZE.footer, MARGIN.left, MUTED);
      });
    });
  }

  gap(points: number): void {
    this.y -= points;
  }

  /** Keeps a heading with at least a few lines of what follows it. */
  keepTogether(height: number): void {
    this.ensure(height);
  }

  rule(): void {
    this.ensure(8);
    this.y -= 4;
    this.page.drawLine({
      start: { x: MARGIN.left, y: this.y },
      end: { x: PAGE.width - MARGIN.right, y: this.y },
      thickness: 0.5,
      color: MUTED,
    });
    this.y -= 4;
  }
}

const personLine = (p: Person) =>
  [`${p.name}, ${p.designation}`, p.email, p.phone].filter((part) => part).join(' · ');

export async function renderTemplateDocument(
  input: TemplateDocumentInput,
): Promise<RenderedTemplateDocument> {
  const fingerprint = templateFingerprint(input);
  const submittedAt = new Date(input.submittedAt);
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(memoizingFontkit(fontkit));
  // Subsetting also gives every shaped glyph (conjuncts, half forms) its true width.
  const [regular, bold] = await Promise.all([
    documentFont('regular').then((bytes) => doc.embedFont(bytes, { subset: true })),
    documentFont('bold').then((bytes) => doc.embedFont(bytes, { subset: true })),
  ]);
  const title = `Service Details Template: ${input.departmentName}`;
  doc.setTitle(title);
  doc.setAuthor('Delhi e-Governance Society (DeGS), e-Taal Delhi');
  doc.setSubject(
    `e-Taal integration, onboarding ${input.onboardingId}, template version ${input.templatesVersion}`,
  );
  doc.setKeywords([`sha256:${fingerprint}`, input.onboardingId, input.submissionId]);
  doc.setCreator('e-Taal Delhi');
  doc.setProducer('e-Taal Delhi (pdf-lib)');
  doc.setCreationDate(submittedAt);
  doc.setModificationDate(submittedAt);
  doc.context
    .lookup(doc.context.trailerInfo.Info, PDFDict)
    .set(PDFName.of(FINGERPRINT_INFO_KEY), PDFString.of(fingerprint));

  const w = new Writer(doc, regular, bold);
  w.text('Delhi e-Governance Society (DeGS)', { font: bold, size: SIZE.title });
  w.text('Government of National Capital Territory of Delhi', { size: SIZE.body });
  w.gap(6);
  w.text('Service Details Template for integration with e-Taal', { font: bold, size: SIZE.heading });
  w.text(
    'Standard Operating Procedure for e-Taal integration, step 3: to be approved (signed) by the Head of Department / Competent Authority.',
    { size: SIZE.body, gapAfter: 4 },
  );
  w.rule();
  w.field('Department', `${input.departmentName} (${input.departmentCode})`);
  w.field('Nodal officer', personLine(input.nodalOfficer));
  w.field('Competent authority', personLine(input.competentAuthority));
  w.field('Onboarding reference', input.onboardingId);
  w.field('Template version', String(input.templatesVersion));
  w.field('Submission id', input.submissionId);
  w.field('Date', formatIst(submittedAt));
  w.field('Services', String(input.services.length));
  w.field('SHA-256 of the template data', fingerprint);
  w.rule();

  input.services.forEach((service, index) => {
    w.gap(8);
    w.keepTogether(SIZE.heading * LEADING + 3 * SIZE.body * LEADING);
    w.text(`${index + 1}. ${service.serviceName}`, { font: bold, size: SIZE.heading, gapAfter: 2 });
    w.field('Service Name', service.serviceName);
    w.field('Online / OCe', DELIVERY_MODE_LABELS[service.deliveryMode]);
    w.field('G2C / G2B / B2C / G2G', service.category);
    w.field('Mission Mode Project', service.missionModeProject ? 'Yes' : 'No');
    w.text('Service Description', { font: bold });
    w.text(service.serviceDescription);
  });

  w.gap(16);
  w.keepTogether(4 * SIZE.body * LEADING);
  w.rule();
  w.text(
    `Approved by the Competent Authority: ${input.competentAuthority.name}, ${input.competentAuthority.designation}. Sign this document with your Digital Signature Certificate (or Aadhaar eSign) and upload the signed PDF on your approval page.`,
  );

  w.footers((page, pages) => [
    `SHA-256 of the template data: ${fingerprint}`,
    `${input.onboardingId} · version ${input.templatesVersion} · page ${page} of ${pages}`,
  ]);

  // A classic cross-reference table (no object streams): signing tools append their revision to it as
  // an incremental update, which keeps the issued bytes intact in front of the signature.
  const pdf = await doc.save({ useObjectStreams: false });
  return {
    pdf,
    fingerprint,
    sha256: createHash('sha256').update(pdf).digest('hex'),
    pages: doc.getPageCount(),
  };
}
