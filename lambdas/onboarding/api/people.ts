import * as z from '../../core/zod';
import { departmentApiKey } from '../../departments/api-key-auth';
import { httpHandler, json } from '../../shared/http';
import { changeDepartmentPerson, DEPARTMENT_PEOPLE, type DepartmentPersonSlug } from '../people';
import type { LinkReissuer } from '../ports';
import { ownOnboarding } from './access';
import { onboardingPathSchema } from './schemas';

export const personPathSchema = z.extend(onboardingPathSchema, {
  role: z.enum(Object.keys(DEPARTMENT_PEOPLE) as [DepartmentPersonSlug, ...DepartmentPersonSlug[]]),
});

/** A JSON object; the role's own schema checks its fields (../people). */
export const personBodySchema = z.record(z.string(), z.unknown(), {
  error: 'The body must be a JSON object',
});

/**
 * PUT /v1/onboardings/{onboardingId}/people/{role}: the department names a new nodal officer or
 * competent authority (HoD) on a running onboarding; pending links of the HoD go to the new one.
 * Wired with the approvals domain's link re-issue in lambdas/entries/change-person.ts.
 */
export const changePersonHandler = (links: LinkReissuer) =>
  httpHandler(
    { auth: departmentApiKey, path: personPathSchema, body: personBodySchema },
    async ({ caller: department, path, body }) => {
      const onboarding = await ownOnboarding(department, path.onboardingId, { withTemplates: false });
      const changed = await changeDepartmentPerson(
        {
          onboarding,
          slug: path.role,
          person: body,
          by: { name: `${department.name} (${department.code}), via the department API`, email: '' },
        },
        links,
      );
      return json(200, changed);
    },
  );
