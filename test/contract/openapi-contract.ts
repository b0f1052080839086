import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';
import { problemTypeSlugOf } from '../../lambdas/shared/problem-types';
import type { RawResponse } from '../abuse/support';

/**
 * Checks real HTTP answers against the served OpenAPI document: the status must be documented for the
 * operation, the media type too, and the body must match the documented schema (JSON Schema 2020-12, with
 * ajv). Every (operation, status, problem type) seen is recorded, so a test can tell which documented
 * answers were never exercised.
 */

type Doc = {
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, ResponseDoc> }>>;
};
type ResponseDoc = { content?: Record<string, { schema?: unknown; examples?: Record<string, unknown> }> };

/** Binary media types the API answers, with the bytes every such file starts with. */
const BINARY_SIGNATURES: Readonly<Record<string, string>> = { 'application/pdf': '%PDF-' };

const pointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

export interface Seen {
  readonly operationId: string;
  readonly status: number;
  readonly problemType?: string;
}

export class ContractChecker {
  readonly seen: Seen[] = [];
  private readonly ajv: InstanceType<typeof Ajv2020>;

  constructor(readonly document: Doc) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    (addFormats as unknown as (ajv: unknown) => void)(this.ajv);
    this.ajv.addSchema(document as object, 'openapi.json');
  }

  /** The path template of the document that a concrete path matches. */
  template(path: string): string {
    const bare = path.split('?')[0] as string;
    for (const template of Object.keys(this.document.paths)) {
      const pattern = new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`);
      if (pattern.test(bare)) return template;
    }
    throw new Error(`${bare} is not a path of the document`);
  }

  /** Validates one answer; returns its body text (see `checkBytes` for binary media types). */
  async check(method: string, path: string, response: Response): Promise<string> {
    return (await this.checkBytes(method, path, response)).text;
  }

  /**
   * Validates one answer; returns its body as bytes, and as text for textual media types. A binary body
   * (a PDF) is not a JSON Schema instance: it must start with its media type's signature instead.
   */
  async checkBytes(
    method: string,
    path: string,
    response: Response,
  ): Promise<{ text: string; bytes: Uint8Array }> {
    const template = this.template(path);
    const operation = this.document.paths[template]?.[method.toLowerCase()];
    expect(operation, `${method} ${template} is documented`).toBeDefined();
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (!operation) return { text: '', bytes };
    const status = String(response.status);
    const contentType = response.headers.get('content-type')?.split(';')[0]?.trim() ?? '';
    const signature = BINARY_SIGNATURES[contentType];
    const text = signature ? '' : new TextDecoder().decode(bytes);
    const documented = operation.responses[status];
    expect(
      documented,
      `${method} ${path} answered ${status} (${text.slice(0, 300)}), which is not documented`,
    ).toBeDefined();
    let problemType: string | undefined;
    if (documented?.content && signature) {
      expect(
        documented.content[contentType],
        `${method} ${path} ${status} documents ${contentType}`,
      ).toBeDefined();
      expect(
        new TextDecoder('latin1').decode(bytes.subarray(0, signature.length)),
        `${method} ${path} ${status} is a ${contentType} file`,
      ).toBe(signature);
    } else if (documented?.content && text !== '') {
      const media = documented.content[contentType];
      expect(
        media,
        `${method} ${path} ${status} answered ${contentType}, documented: ${Object.keys(documented.content)}`,
      ).toBeDefined();
      const body = contentType.endsWith('json') ? JSON.parse(text) : text;
      const validate = this.ajv.getSchema(
        `openapi.json#/paths/${pointer(template)}/${method.toLowerCase()}/responses/${status}/content/${pointer(contentType)}/schema`,
      );
      if (!validate) throw new Error(`No schema for ${method} ${template} ${status} ${contentType}`);
      const valid = validate(body);
      expect(
        valid,
        `${method} ${path} ${status}: ${JSON.stringify(validate.errors)} in ${text.slice(0, 500)}`,
      ).toBe(true);
      if (contentType === 'application/problem+json') problemType = (body as { type: string }).type;
    }
    this.seen.push({
      operationId: operation.operationId,
      status: response.status,
      ...(problemType ? { problemType } : {}),
    });
    return { text, bytes };
  }

  /** Validates an answer read with test/abuse/support.ts `requestFrom` (a chosen source address). */
  async checkRaw(method: string, path: string, raw: RawResponse): Promise<string> {
    const headers = new Headers();
    for (const [name, value] of Object.entries(raw.headers)) {
      if (typeof value === 'string') headers.set(name, value);
    }
    return this.check(method, path, new Response(raw.body, { status: raw.status, headers }));
  }

  /** Every documented operation, as method, path template and operationId. */
  operations(): { method: string; template: string; operationId: string }[] {
    return Object.entries(this.document.paths).flatMap(([template, operations]) =>
      Object.entries(operations).map(([method, operation]) => ({
        method: method.toUpperCase(),
        template,
        operationId: operation.operationId,
      })),
    );
  }

  /** Every documented (operationId, status, problem type), as `operationId status slug|-`. */
  documentedAnswers(): string[] {
    const answers: string[] = [];
    for (const operations of Object.values(this.document.paths)) {
      for (const operation of Object.values(operations)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          const problems = response.content?.['application/problem+json']?.examples;
          if (problems)
            for (const slug of Object.keys(problems))
              answers.push(`${operation.operationId} ${status} ${slug}`);
          else answers.push(`${operation.operationId} ${status} -`);
        }
      }
    }
    return answers.sort();
  }

  seenAnswers(): Set<string> {
    return new Set(
      this.seen.map(
        (s) =>
          `${s.operationId} ${s.status} ${s.problemType ? (problemTypeSlugOf(s.problemType) ?? s.problemType) : '-'}`,
      ),
    );
  }
}
