import { fileURLToPath } from 'node:url';

/** The repository root, where FunctionSpec entries and statemachines/ are resolved from. */
export const REPOSITORY_ROOT = fileURLToPath(new URL('..', import.meta.url));
