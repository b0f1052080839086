import { request } from 'node:http';

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/**
 * An HTTP request from a chosen loopback source address (127.0.0.2, 127.0.0.3, …), so one test can play
 * several callers as API Gateway and WAF tell them apart: by source IP.
 */
export function requestFrom(
  sourceAddress: string,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: init.method ?? 'GET', headers: init.headers, localAddress: sourceAddress, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/** Sends `count` requests, `parallel` at a time, and returns every status. */
export async function flood(
  count: number,
  send: (index: number) => Promise<RawResponse>,
  parallel = 20,
): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i += parallel) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(parallel, count - i) }, (_, j) => send(i + j)),
    );
    statuses.push(...batch.map((r) => r.status));
  }
  return statuses;
}
