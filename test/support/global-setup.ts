import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundleAdminCli } from './admin-cli-bundle';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The bundled admin CLI (./admin-cli-bundle.ts), for tests that run it as a process. */
    adminCliBundle: string;
  }
}

/** Once per `vitest run`, before any test file: what many test files share. */
export default async function setup(project: TestProject): Promise<() => void> {
  const admin = await bundleAdminCli(join(import.meta.dirname, '..', '..'));
  project.provide('adminCliBundle', admin.file);
  return admin.remove;
}
