import { SFNClient } from '@aws-sdk/client-sfn';
import { bounded } from './aws';
import { SDK_CLIENT_CONFIG } from './sdk-timeouts';

/**
 * Step Functions, in a module of its own rather than ./aws.ts: a function that reaches it only through
 * `import()` (PushCounts resumes the workflow for test counts only: lambdas/entries/push-counts.ts) must
 * not reach the client through a module its cold start imports, or esbuild puts the client in a chunk
 * that cold start loads. The `@__PURE__` marks let esbuild drop it where nothing calls it.
 */
export const sfn = /* @__PURE__ */ bounded(/* @__PURE__ */ new SFNClient(SDK_CLIENT_CONFIG));
