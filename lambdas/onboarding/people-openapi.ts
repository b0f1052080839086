import * as z from '../core/zod';
import { jsonBodyProblems, operation, type RouteDocs } from '../shared/openapi';
import { personPathSchema } from './api/people';
import { competentAuthoritySchema, nodalOfficerSchema } from './api/schemas';

/** The department's people on a running onboarding, in the reference (routes: ./functions.ts). */
const changedSchema = z
  .object({
    onboardingId: z.string(),
    role: personPathSchema.shape.role,
    person: z.object({
      name: z.string(),
      designation: z.string(),
      email: z.email(),
      phone: z.optional(z.string()),
    }),
    reissuedLinks: z.int().check(
      z.minimum(0),
      z.meta({
        description: 'Approval links that waited for the previous person and were sent to the new one.',
      }),
    ),
  })
  .check(z.meta({ id: 'PersonChanged' }));

export const onboardingPeopleRouteDocs: RouteDocs = () => ({
  'PUT /v1/onboardings/{onboardingId}/people/{role}': operation({
    operationId: 'changeOnboardingPerson',
    tags: ['Onboarding'],
    summary: 'Name a new nodal officer or competent authority (HoD) on a running onboarding',
    description:
      "When the nodal officer or the HoD changes post. `role` is `nodal-officer` (body: name, designation, email, phone) or `competent-authority` (body: name, designation, email). The HoD must not be the nodal officer, and where DeGS pinned the department's competent authority only that address is taken. An approval link waiting for the previous HoD is sent to the new one (the old link stops working; the deadline stays). Audited. An onboarding that is live or rejected answers 409.",
    apiKey: true,
    requestParams: { path: personPathSchema },
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: z.union([nodalOfficerSchema, competentAuthoritySchema]),
          examples: {
            hod: {
              value: {
                name: 'S. K. Mehra',
                designation: 'Secretary (Revenue)',
                email: 'secy.revenue@delhi.gov.in',
              },
            },
          },
        },
      },
    },
    responses: {
      '200': { description: 'Changed.', content: { 'application/json': { schema: changedSchema } } },
    },
    problems: jsonBodyProblems({
      404: ['not-found'],
      409: ['conflict'],
      422: ['validation-error'],
    }),
  }),
});
