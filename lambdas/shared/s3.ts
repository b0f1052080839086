import { S3Client } from '@aws-sdk/client-s3';
import { bounded } from './aws';
import { SDK_CLIENT_CONFIG } from './sdk-timeouts';

/**
 * S3, in a module of its own rather than ./aws.ts: a function that loads its S3 work with `import()`
 * (onboarding/template-document-issue.ts) must not reach the client through a module its cold start
 * imports, or esbuild puts the client in a chunk that cold start loads. An endpoint on an IP address
 * (local mode's S3 emulator) is addressed path-style by the SDK itself. The `@__PURE__` marks let esbuild
 * drop the client where nothing calls it (Approvals imports the document module for records only).
 */
export const s3 = /* @__PURE__ */ bounded(/* @__PURE__ */ new S3Client(SDK_CLIENT_CONFIG));
