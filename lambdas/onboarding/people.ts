import { zodIssuesToFieldErrors } from '../core/problem-fields';
import { pinnedAuthorityViolation, SELF_APPROVAL_MESSAGE, sameAddress } from '../core/separation-of-duties';
import { type Onboarding, OPEN_STATUSES, type Person } from '../core/workflow';
import { getPinnedAuthority } from '../departments/authority';
import { inList, writeIf } from '../shared/conditional-write';
import { ConflictError, ValidationError } from '../shared/errors';
import { competentAuthoritySchema, nodalOfficerSchema } from './api/schemas';
import { appendAudit } from './audit';
import { updateMeta } from './meta-item';
import type { LinkReissuer } from './ports';

/**
 * The department's people on a running onboarding (issue 9): the nodal officer or the HoD (competent
 * authority) changes posts, so the department (its API) or an admin names the successor. Separation of
 * duties holds as at creation: the HoD is never the nodal officer, and a department whose HoD an admin
 * pinned can only name that address. Pending approval links of the changed role are re-issued to the new
 * person (the old ones answer 410); later mail goes to them because every email reads the onboarding.
 */

export const DEPARTMENT_PEOPLE = {
  'nodal-officer': { field: 'nodalOfficer', role: 'department', schema: nodalOfficerSchema },
  'competent-authority': {
    field: 'competentAuthority',
    role: 'competentAuthority',
    schema: competentAuthoritySchema,
  },
} as const;

export type DepartmentPersonSlug = keyof typeof DEPARTMENT_PEOPLE;

export interface PersonChange {
  readonly onboarding: Onboarding;
  readonly slug: DepartmentPersonSlug;
  readonly person: unknown;
  /** Who asked: the department (its API key) or the admin's identity. */
  readonly by: { name: string; email: string };
}

export async function changeDepartmentPerson(
  change: PersonChange,
  links: LinkReissuer,
): Promise<{ onboardingId: string; role: DepartmentPersonSlug; person: Person; reissuedLinks: number }> {
  const { onboarding, slug, by } = change;
  const spec = DEPARTMENT_PEOPLE[slug];
  const parsed = spec.schema.safeParse(change.person);
  if (!parsed.success) throw new ValidationError(zodIssuesToFieldErrors(parsed.error));
  const person = parsed.data as Person;
  const other = slug === 'nodal-officer' ? onboarding.competentAuthority : onboarding.nodalOfficer;
  if (sameAddress(person.email, other.email)) {
    throw ValidationError.forField(
      'email',
      slug === 'competent-authority'
        ? SELF_APPROVAL_MESSAGE
        : "Must not be the competent authority's address",
    );
  }
  if (slug === 'competent-authority') {
    const violation = pinnedAuthorityViolation(person, await getPinnedAuthority(onboarding.departmentId));
    if (violation) throw ValidationError.forField('email', violation);
  }
  const previous = onboarding[spec.field];
  const open = inList(OPEN_STATUSES, 'open');
  const changed = await writeIf(
    updateMeta(onboarding.onboardingId, {
      UpdateExpression: 'SET #person = :person, updatedAt = :now',
      ConditionExpression: `attribute_exists(pk) AND #status IN ${open.expression}`,
      ExpressionAttributeNames: { '#person': spec.field, '#status': 'status' },
      ExpressionAttributeValues: {
        ':person': person,
        ':now': new Date().toISOString(),
        ...open.values,
      },
    }),
  );
  if (!changed) {
    throw new ConflictError(
      `Onboarding ${onboarding.onboardingId} has ended; its people can no longer change.`,
    );
  }
  await appendAudit(onboarding.onboardingId, {
    type: 'person.changed',
    role: spec.role,
    detail: {
      field: spec.field,
      from: { name: previous.name, email: previous.email },
      to: { name: person.name, email: person.email },
      by,
    },
  });
  const reissuedLinks = await links.reissue(onboarding.onboardingId, spec.role, person, by);
  return { onboardingId: onboarding.onboardingId, role: slug, person, reissuedLinks };
}
