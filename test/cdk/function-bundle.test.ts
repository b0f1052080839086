import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Function as LambdaFunctionResource } from 'aws-cdk-lib/aws-lambda';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../lambdas/functions';
import {
  buildFunctionBundle,
  bundleLoading,
  bundleOutputs,
  FUNCTION_HANDLER,
  FUNCTION_RUNTIME,
  functionCode,
} from '../../lib/function-bundle';

// SubmitTemplates renders and stores PDFs (pdf-lib, fontkit, S3) for some requests only, and reads font files at run time.
const spec = FUNCTIONS.find((f) => f.id === 'SubmitTemplates');
if (!spec) throw new Error('SubmitTemplates is not in FUNCTIONS');

let dir: string;
let assetDir: string;
let metafile: Metafile;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'etaal-function-bundle-'));
  const app = new App({ outdir: join(dir, 'cdk.out') });
  const stack = new Stack(app, 'Bundle');
  new LambdaFunctionResource(stack, 'Function', {
    code: functionCode(spec),
    handler: FUNCTION_HANDLER,
    runtime: FUNCTION_RUNTIME,
  });
  app.synth();
  const [fn] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
  const { S3Key } = (fn?.Properties.Code ?? {}) as { S3Key: string };
  assetDir = join(dir, 'cdk.out', `asset.${S3Key.replace(/\.zip$/, '')}`);
  metafile = buildFunctionBundle(spec, join(dir, 'bench'));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const codeFiles = (folder: string) =>
  readdirSync(folder)
    .filter((name) => /\.mjs(\.map)?$/.test(name))
    .sort();

describe('function bundles', () => {
  it('the deployed asset is the build the cold-start bench measures, byte for byte, wherever it is built', () => {
    const deployed = codeFiles(assetDir);
    expect(deployed).toContain('index.mjs');
    expect(codeFiles(join(dir, 'bench'))).toEqual(deployed);
    for (const name of deployed) {
      expect(readFileSync(join(dir, 'bench', name), 'utf8'), name).toBe(
        readFileSync(join(assetDir, name), 'utf8'),
      );
    }
    // Beside the code, the fonts it reads at run time.
    expect(readdirSync(join(assetDir, 'assets')).sort()).toEqual([
      'NotoSansDevanagari_400Regular.ttf',
      'NotoSansDevanagari_700Bold.ttf',
    ]);
  });

  it('keeps what only a request that issues a PDF needs (rendering, S3) out of the files a cold start loads', () => {
    expectDeferredOnly(metafile, [
      'node_modules/pdf-lib/',
      'node_modules/@pdf-lib/fontkit/',
      'node_modules/@aws-sdk/client-s3/',
    ]);
  });

  it('loads zod in the API reference only with the document: the page, its script and redirects need none', () => {
    expectDeferredOnly(built('ApiReference'), ['node_modules/zod/', 'node_modules/zod-openapi/']);
  });

  it('loads Step Functions in the count push only with test counts: live counts never resume a wait', () => {
    expectDeferredOnly(built('PushCounts'), ['node_modules/@aws-sdk/client-sfn/']);
  });
});

/** A function's bundle, built the way CDK builds it, by its id in FUNCTIONS. */
function built(id: string): Metafile {
  const found = FUNCTIONS.find((f) => f.id === id);
  if (!found) throw new Error(`${id} is not in FUNCTIONS`);
  return buildFunctionBundle(found, join(dir, id));
}

/** The packages are in chunks only `import()` reaches, none in what a cold start loads. */
function expectDeferredOnly(built: Metafile, packages: readonly string[]): void {
  const { atImport, deferred } = bundleLoading(built);
  const outputs = bundleOutputs(built);
  const inputsOf = (files: readonly string[]) =>
    files.flatMap((file) => Object.keys(outputs.get(file)?.inputs ?? {}));
  expect(atImport).toContain('index.mjs');
  for (const pkg of packages) {
    expect(inputsOf(atImport).filter((input) => input.includes(pkg))).toEqual([]);
    expect(inputsOf(deferred).some((input) => input.includes(pkg))).toBe(true);
  }
}
