import { httpHandler, json } from '../shared/http';

const service = process.env.POWERTOOLS_SERVICE_NAME || 'etaal-delhi';

/** Liveness only: touches no dependency, so it stays green while a dependency is down. */
export const handler = httpHandler({}, async () => json(200, { status: 'ok', service }));
