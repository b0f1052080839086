import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets } from '../../lambdas/shared/observability';

describe('log redaction', () => {
  it('masks credentials under any spelling of their key, at any depth', () => {
    const logged = JSON.parse(
      JSON.stringify(
        {
          headers: { 'x-api-key': 'etd_abc', Authorization: 'Bearer t', cookie: 's=1', 'user-agent': 'curl' },
          input: {
            apiKey: 'k',
            taskToken: 'AAAA',
            approvalToken: 'bbb',
            connectorPassword: 'p',
            clientSecret: 's',
          },
          tokenHash: 'f00d',
          status: 401,
        },
        redactSecrets,
      ),
    );

    expect(logged).toEqual({
      headers: { 'x-api-key': REDACTED, Authorization: REDACTED, cookie: REDACTED, 'user-agent': 'curl' },
      input: {
        apiKey: REDACTED,
        taskToken: REDACTED,
        approvalToken: REDACTED,
        connectorPassword: REDACTED,
        clientSecret: REDACTED,
      },
      tokenHash: 'f00d',
      status: 401,
    });
  });
});
