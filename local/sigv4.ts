import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';

type SourceData = string | ArrayBuffer | ArrayBufferView;

/**
 * SigV4 for local mode's IAM-authorised routes: the signature is computed again with the local
 * credentials (@smithy/signature-v4, the signer of the AWS SDK) and compared, as API Gateway does; a
 * request signed with another secret, for another request, or more than 15 minutes away is refused.
 */

/** The local account's one principal: the credentials every local-mode AWS client uses. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** How far a request's x-amz-date may be from now, as AWS allows. */
const MAX_SKEW_MS = 15 * 60 * 1000;

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

/** The SHA-256 (or, with a secret, HMAC-SHA256) the signer needs, from node:crypto. */
class NodeSha256 {
  readonly #secret: SourceData | undefined;
  #hash;
  constructor(secret?: SourceData) {
    this.#secret = secret;
    this.#hash = NodeSha256.#create(secret);
  }
  static #create(secret: SourceData | undefined) {
    return secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  reset(): void {
    this.#hash = NodeSha256.#create(this.#secret);
  }
  update(data: Uint8Array): void {
    this.#hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return this.#hash.digest();
  }
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data as ArrayBuffer);
}

export type SigV4Verdict =
  | { readonly ok: true; readonly accessKey: string }
  | { readonly ok: false; readonly reason: 'missing' | 'unknown-key' | 'expired' | 'bad-signature' };

/** x-amz-date `20261125T101500Z` as a Date. */
function amzDate(value: string | undefined): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  return new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s));
}

export async function verifySigV4(
  request: { method: string; url: URL; headers: IncomingHttpHeaders; body: Buffer },
  now = new Date(),
): Promise<SigV4Verdict> {
  const match = AUTHORIZATION.exec(String(request.headers.authorization ?? ''));
  if (!match) return { ok: false, reason: 'missing' };
  const [, accessKey, scopeDate, region, service, signedHeaderList, signature] = match as unknown as string[];
  if (accessKey !== LOCAL_CREDENTIALS.accessKeyId) return { ok: false, reason: 'unknown-key' };
  const signingDate = amzDate(String(request.headers['x-amz-date'] ?? ''));
  if (!signingDate || Math.abs(now.getTime() - signingDate.getTime()) > MAX_SKEW_MS) {
    return { ok: false, reason: 'expired' };
  }
  const signedHeaders = (signedHeaderList as string).split(';');
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = request.headers[name];
    if (value === undefined) return { ok: false, reason: 'bad-signature' };
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  // The signer takes a stated payload hash as given; the body must be the one that was signed.
  const statedPayloadHash = headers['x-amz-content-sha256'];
  if (
    statedPayloadHash !== undefined &&
    statedPayloadHash !== createHash('sha256').update(request.body).digest('hex')
  ) {
    return { ok: false, reason: 'bad-signature' };
  }
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of request.url.searchParams) {
    const previous = query[key];
    query[key] = previous === undefined ? value : [...[previous].flat(), value];
  }
  const signer = new SignatureV4({
    credentials: LOCAL_CREDENTIALS,
    region: region as string,
    service: service as string,
    sha256: NodeSha256,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: request.url.protocol,
      hostname: request.url.hostname,
      path: request.url.pathname,
      query,
      headers,
      body: request.body.length > 0 ? request.body : undefined,
    },
    { signingDate, signableHeaders: new Set(signedHeaders) },
  );
  const expected = /Signature=([0-9a-f]{64})$/.exec(String(signed.headers.authorization ?? ''))?.[1] ?? '';
  const scopeMatches = scopeDate === signed.headers['x-amz-date']?.slice(0, 8);
  const equal =
    expected.length === (signature as string).length &&
    timingSafeEqual(Buffer.from(expected), Buffer.from(signature as string));
  return equal && scopeMatches ? { ok: true, accessKey } : { ok: false, reason: 'bad-signature' };
}

/**
 * Headers that sign a request to a local IAM route, as an SDK client or `aws-sigv4` tooling would
 * (region and service as API Gateway expects: execute-api). `secretAccessKey` defaults to the local one.
 */
export async function signLocalRequest(
  url: URL,
  init: { method: string; body?: string; headers?: Record<string, string> },
  credentials: { accessKeyId: string; secretAccessKey: string } = LOCAL_CREDENTIALS,
  signingDate = new Date(),
): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    credentials,
    region: 'ap-south-1',
    service: 'execute-api',
    sha256: NodeSha256,
  });
  const signed = await signer.sign(
    {
      method: init.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { host: url.host, ...init.headers },
      body: init.body,
    },
    { signingDate },
  );
  return signed.headers;
}
