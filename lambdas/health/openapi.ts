import * as z from '../core/zod';
import { operation, type RouteDocs } from '../shared/openapi';

/** The liveness route in the reference (routes: ../functions.ts). */
export const healthRouteDocs: RouteDocs = () => ({
  'GET /health': operation({
    operationId: 'health',
    tags: ['Service'],
    summary: 'Liveness',
    description: 'Answers without touching any dependency: the API is reachable.',
    responses: {
      '200': {
        description: 'Up.',
        content: {
          'application/json': {
            schema: z.object({ status: z.literal('ok'), service: z.string() }),
            examples: { up: { value: { status: 'ok', service: 'etaal-delhi' } } },
          },
        },
      },
    },
    problems: {},
  }),
});
