import * as z from '../core/zod';
import { operation, type RouteDocs } from '../shared/openapi';

/** The hand-over kit in the reference (routes: ./functions.ts). */

const kitSchema = z
  .object({
    department: z.object({ code: z.string(), name: z.string() }),
    baseUrl: z.url(),
    referenceUrl: z.url(),
    openApiUrl: z.url(),
    countsUrl: z.url(),
    services: z.array(
      z.object({
        serviceName: z.string(),
        serviceCode: z.string(),
        status: z.optional(z.string()).check(z.meta({ description: 'issued, testing or live.' })),
      }),
    ),
    contact: z
      .optional(z.object({ name: z.string(), emails: z.array(z.string()), phone: z.optional(z.string()) }))
      .check(z.meta({ description: 'Who helps with the integration (DeGS Technical), as configured.' })),
    sections: z.array(
      z.object({
        heading: z.string(),
        paragraphs: z.array(z.string()),
        commands: z
          .optional(z.array(z.string()))
          .check(z.meta({ description: 'Ready to paste (curl, PowerShell).' })),
      }),
    ),
  })
  .check(z.meta({ id: 'IntegrationKit' }));

export const integrationRouteDocs: RouteDocs = () => ({
  'GET /v1/integration': operation({
    operationId: 'integrationKit',
    tags: ['Integration'],
    summary: 'Your hand-over kit',
    description:
      'The content of the step-7 email, at any time: your Government Service Codes, the URLs, ready-to-paste requests with your codes (curl and PowerShell), what locationCode means, the test phase, the back-fill window and whom to contact. JSON, or a page with `Accept: text/html`.',
    apiKey: true,
    responses: {
      '200': {
        description: 'The kit.',
        content: { 'application/json': { schema: kitSchema }, 'text/html': { schema: z.string() } },
      },
    },
    problems: {},
  }),
});
