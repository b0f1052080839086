/**
 * `npm run docs`: regenerates the README's SoP step table from lambdas/core/sop.ts and the runbook's
 * per-function alarm sections from lambdas/functions.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { withSopTable } from '../lambdas/core/sop-table';
import { FUNCTIONS } from '../lambdas/functions';
import { withFunctionAlarmSections } from '../lib/runbook';

const readmePath = new URL('../README.md', import.meta.url);
writeFileSync(readmePath, withSopTable(readFileSync(readmePath, 'utf8')));
const runbookPath = new URL('../docs/runbook.md', import.meta.url);
writeFileSync(runbookPath, withFunctionAlarmSections(readFileSync(runbookPath, 'utf8'), FUNCTIONS));
