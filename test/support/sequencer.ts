import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files that take the longest (a local system walked through the SoP, a browser, a CDK synth with real
 * bundling). Started first, they do not run alone at the end while the other workers have nothing left.
 */
const SLOW_FILES = [/^test\/e2e\//, /\/browser\.test\.ts$/, /^test\/cdk\//];

/**
 * Vitest's order (longest first once it has timings of an earlier run in node_modules/.vite; a fresh
 * clone has none), with the known slow files ahead of the rest.
 */
export default class SlowFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const slow = (file: TestSpecification) => {
      const path = file.moduleId.slice(file.project.config.root.length + 1);
      return SLOW_FILES.some((pattern) => pattern.test(path));
    };
    return [...sorted.filter(slow), ...sorted.filter((file) => !slow(file))];
  }
}
