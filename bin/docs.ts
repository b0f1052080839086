/**
 * `npm run docs`: regenerates the README's SoP step table from lambdas/core/sop.ts, the runbook's
 * per-function alarm sections from lambdas/functions.ts and the state machine's definition from the
 * step modules (lambdas/onboarding/workflow/definition.ts).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withSopTable } from '../lambdas/core/sop-table';
import { FUNCTIONS } from '../lambdas/functions';
import { renderOnboardingDefinition } from '../lambdas/onboarding/workflow/definition';
import { withFunctionAlarmSections } from '../lib/runbook';

const readmePath = new URL('../README.md', import.meta.url);
writeFileSync(readmePath, withSopTable(readFileSync(readmePath, 'utf8')));
const runbookPath = new URL('../docs/runbook.md', import.meta.url);
writeFileSync(runbookPath, withFunctionAlarmSections(readFileSync(runbookPath, 'utf8'), FUNCTIONS));
// Written as the generator renders it, then formatted as Biome keeps every JSON file of the repository.
const aslPath = fileURLToPath(new URL('../statemachines/onboarding.asl.json', import.meta.url));
writeFileSync(aslPath, renderOnboardingDefinition());
execFileSync(
  fileURLToPath(new URL('../node_modules/.bin/biome', import.meta.url)),
  ['format', '--write', aslPath],
  {
    stdio: 'inherit',
  },
);
