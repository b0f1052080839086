import { describe, expect, it } from 'vitest';
import { FunctionError, FunctionRegistry, MAX_RESULT_BYTES } from '../../local/lambda';
import { REPOSITORY_ROOT } from '../../local/system';

const spec = (id: string, entry: string) => ({ id, entry, description: id, uses: {}, timeoutSeconds: 15 });

describe('FunctionRegistry', () => {
  it('imports each entry module and calls its handler with a Lambda context', async () => {
    const registry = await FunctionRegistry.load(
      [spec('Reporter', 'test/local/fixtures/handler-module.ts')],
      REPOSITORY_ROOT,
    );

    const first = (await registry.invoke('Reporter', { n: 1 })) as Record<string, unknown>;
    const second = (await registry.invoke('Reporter', { n: 2 })) as Record<string, unknown>;

    expect(first).toMatchObject({
      event: { n: 1 },
      functionName: 'Reporter',
      invokedFunctionArn: 'arn:aws:lambda:ap-south-1:000000000000:function:Reporter',
      memoryLimitInMB: '512',
    });
    expect(first.remainingMs).toBeGreaterThan(14_000);
    expect(first.remainingMs).toBeLessThanOrEqual(15_000);
    expect(first.awsRequestId).not.toBe(second.awsRequestId);
  });

  it('serialises events and results as JSON, as Lambda does', async () => {
    const registry = await FunctionRegistry.load(
      [spec('Reporter', 'test/local/fixtures/handler-module.ts')],
      REPOSITORY_ROOT,
    );

    const result = (await registry.invoke('Reporter', { when: new Date(0), gone: undefined })) as Record<
      string,
      unknown
    >;

    expect(result.event).toEqual({ when: '1970-01-01T00:00:00.000Z' });
    expect(result.at).toBe('1970-01-01T00:00:00.000Z');
  });

  it('reports a module that cannot be imported, and fails its invocations with Runtime.ImportModuleError', async () => {
    const registry = await FunctionRegistry.load(
      [spec('Missing', 'lambdas/nowhere/handler.ts')],
      REPOSITORY_ROOT,
    );

    expect(registry.loadErrors.map((e) => e.id)).toEqual(['Missing']);
    const failure = await registry.invoke('Missing', {}).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FunctionError);
    expect(failure).toMatchObject({ errorType: 'Runtime.ImportModuleError' });
  });

  it("fails a result over Lambda's 6 MB response limit with Function.ResponseSizeTooLarge", async () => {
    const registry = FunctionRegistry.fromHandlers({ Big: () => 'x'.repeat(MAX_RESULT_BYTES) });

    const failure = await registry.invoke('Big', {}).catch((error: unknown) => error);

    expect(failure).toMatchObject({ errorType: 'Function.ResponseSizeTooLarge' });
  });

  it("surfaces a thrown error's name as the errorType", async () => {
    class ConflictError extends Error {
      override name = 'ConflictError';
    }
    const registry = FunctionRegistry.fromHandlers({
      Conflicted: () => {
        throw new ConflictError('already decided');
      },
    });

    const failure = await registry.invoke('Conflicted', {}).catch((error: unknown) => error);

    expect(failure).toMatchObject({ errorType: 'ConflictError', errorMessage: 'already decided' });
  });
});
