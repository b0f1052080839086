/** Regenerates the README's SoP step table from lambdas/core/sop.ts (`npm run docs`). */
import { readFileSync, writeFileSync } from 'node:fs';
import { withSopTable } from '../lambdas/core/sop-table';

const readmePath = new URL('../README.md', import.meta.url);
writeFileSync(readmePath, withSopTable(readFileSync(readmePath, 'utf8')));
