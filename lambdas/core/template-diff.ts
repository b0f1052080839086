import { diffWords } from 'diff';
import { SERVICE_TEMPLATE_FIELDS, type ServiceTemplate } from './template';

/**
 * What changed between two versions of the service-details templates, field by field and per service,
 * for the round-N review of a resubmission (issue 9). Pure: the callers read both versions.
 *
 * Services are matched by name, ignoring case (the names are the ones listed at step 1, so a version
 * cannot rename one; a service present in only one version is reported as added or removed all the
 * same). Descriptions also get a word-level diff, since a reviewer should not have to compare two
 * 500-word texts by eye.
 */

export type TemplateField = keyof typeof SERVICE_TEMPLATE_FIELDS;

/** A run of words of a description: kept, removed (only in the earlier version) or added. */
export interface WordRun {
  readonly kind: 'same' | 'removed' | 'added';
  readonly text: string;
}

export interface FieldChange {
  readonly field: TemplateField;
  /** The field's name on the DeGS template, e.g. "Service Description". */
  readonly label: string;
  readonly before: string;
  readonly after: string;
  /** For the description: the word-level changes, in order. */
  readonly words?: readonly WordRun[];
}

export interface ServiceChange {
  readonly serviceName: string;
  readonly changes: readonly FieldChange[];
}

export interface TemplatesDiff {
  /** Services with at least one changed field, in the order of the later version. */
  readonly changed: readonly ServiceChange[];
  readonly unchanged: readonly string[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

const FIELDS = Object.keys(SERVICE_TEMPLATE_FIELDS) as TemplateField[];

/** A field's value as the template shows it (Mission Mode Project as Yes / No). */
export function fieldText(template: ServiceTemplate, field: TemplateField): string {
  const value = template[field];
  return typeof value === 'boolean' ? (value ? 'Yes' : 'No') : String(value);
}

const key = (serviceName: string) => serviceName.trim().toLowerCase();

export function diffTemplates(
  before: readonly ServiceTemplate[],
  after: readonly ServiceTemplate[],
): TemplatesDiff {
  const earlier = new Map(before.map((t) => [key(t.serviceName), t]));
  const later = new Set(after.map((t) => key(t.serviceName)));
  const changed: ServiceChange[] = [];
  const unchanged: string[] = [];
  const added: string[] = [];
  for (const template of after) {
    const previous = earlier.get(key(template.serviceName));
    if (!previous) {
      added.push(template.serviceName);
      continue;
    }
    const changes = FIELDS.flatMap((field) => fieldChange(field, previous, template));
    if (changes.length > 0) changed.push({ serviceName: template.serviceName, changes });
    else unchanged.push(template.serviceName);
  }
  const removed = before.filter((t) => !later.has(key(t.serviceName))).map((t) => t.serviceName);
  return { changed, unchanged, added, removed };
}

function fieldChange(
  field: TemplateField,
  previous: ServiceTemplate,
  current: ServiceTemplate,
): FieldChange[] {
  const before = fieldText(previous, field);
  const after = fieldText(current, field);
  if (before === after) return [];
  const change = { field, label: SERVICE_TEMPLATE_FIELDS[field], before, after };
  return field === 'serviceDescription' ? [{ ...change, words: wordRuns(before, after) }] : [change];
}

/**
 * Token edits (words and the spaces between them: about 50 changed words) a word diff may find before it
 * gives up. The diff costs about (length x edits): bounded, a rewritten 500-word description takes a few
 * milliseconds rather than tens (200 of them stay well under a second on a page). A description changed
 * more than that is shown as replaced whole.
 */
export const MAX_WORD_EDITS = 100;

function wordRuns(before: string, after: string): WordRun[] {
  const parts = diffWords(before, after, { maxEditLength: MAX_WORD_EDITS });
  if (!parts) {
    return [
      { kind: 'removed', text: before },
      { kind: 'added', text: after },
    ];
  }
  return parts.map((part) => ({
    kind: part.added ? 'added' : part.removed ? 'removed' : 'same',
    text: part.value,
  }));
}

/** Whether two versions differ at all. */
export function hasChanges(diff: TemplatesDiff): boolean {
  return diff.changed.length + diff.added.length + diff.removed.length > 0;
}

/** One line per change, for plain-text emails, e.g. `Trade licence: Category "G2C" → "G2B"`. */
export function describeChanges(diff: TemplatesDiff, maxQuoted = 120): string[] {
  const quote = (text: string) => `"${text.length > maxQuoted ? `${text.slice(0, maxQuoted - 1)}…` : text}"`;
  return [
    ...diff.changed.flatMap((service) =>
      service.changes.map((c) =>
        c.words
          ? `${service.serviceName}: ${c.label} changed (${wordSummary(c.words)})`
          : `${service.serviceName}: ${c.label} ${quote(c.before)} → ${quote(c.after)}`,
      ),
    ),
    ...diff.added.map((name) => `${name}: added`),
    ...diff.removed.map((name) => `${name}: removed`),
  ];
}

/** "N words removed, M added": a description's change in a few words. */
export function wordSummary(words: readonly WordRun[]): string {
  const count = (kind: WordRun['kind']) =>
    words.filter((w) => w.kind === kind).reduce((n, w) => n + w.text.split(/\s+/).filter(Boolean).length, 0);
  return `${count('removed')} words removed, ${count('added')} added`;
}
