import { httpHandler, json } from '../shared/http';
import { readSetting } from '../shared/settings';

const service = readSetting('serviceName');

/** Liveness only: touches no dependency, so it stays green while a dependency is down. */
export const handler = httpHandler({}, async () => json(200, { status: 'ok', service }));
