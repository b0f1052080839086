import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import SlowFilesFirst from './test/support/sequencer';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'lambdas/**/*.test.ts', 'local/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: on a 2-core machine one file at a time, while
    // the end-to-end files spend much of their time waiting (admin CLI processes, the workflow, polls).
    maxWorkers: availableParallelism() + 1,
    sequence: { sequencer: SlowFilesFirst },
    globalSetup: ['test/support/global-setup.ts'],
    // Every deployed function has PUBLIC_BASE_URL (lib/etaal-stack.ts) and local mode sets its own; tests
    // that call handlers directly get this one (problem types are URLs under it).
    env: { PUBLIC_BASE_URL: 'https://etaal.example.test' },
  },
});
