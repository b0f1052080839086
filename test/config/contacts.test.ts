import { describe, expect, it } from 'vitest';
import { CONTACT_ROLES, contactsSchema } from '../../lambdas/config/contacts';
import { zodIssuesToFieldErrors } from '../../lambdas/core/problem-fields';
import { CONFIGURED_ROLES } from '../../lambdas/core/sop';

describe('contacts', () => {
  it('cover every configured SoP role plus escalation', () => {
    expect([...CONTACT_ROLES].sort()).toEqual([...CONFIGURED_ROLES, 'escalation'].sort());
  });

  it('may carry a helpline (shown to departments in the hand-over kit), which must be a phone number', () => {
    const input = { role: 'degsTechnical', emails: ['tech@delhi.gov.in'] };
    expect(contactsSchema.parse({ ...input, phone: ' +91 11 2345 6789 ' }).phone).toBe('+91 11 2345 6789');
    expect(contactsSchema.parse(input)).not.toHaveProperty('phone');
    const refused = contactsSchema.safeParse({ ...input, phone: 'call us' });
    expect(refused.success ? [] : zodIssuesToFieldErrors(refused.error).map((e) => e.field)).toEqual([
      'phone',
    ]);
  });

  it("default the name to the role's title and drop duplicate addresses", () => {
    expect(
      contactsSchema.parse({
        role: 'stateCommittee',
        emails: ['sc@delhi.gov.in', 'SC@delhi.gov.in', 'b@delhi.gov.in'],
      }),
    ).toEqual({
      role: 'stateCommittee',
      name: 'State Committee',
      members: [
        { name: 'sc@delhi.gov.in', email: 'sc@delhi.gov.in' },
        { name: 'b@delhi.gov.in', email: 'b@delhi.gov.in' },
      ],
      emails: ['sc@delhi.gov.in', 'b@delhi.gov.in'],
      rule: 'any',
    });
    expect(contactsSchema.parse({ role: 'escalation', emails: ['e@delhi.gov.in'] }).name).toBe(
      'Escalation contact',
    );
  });

  it('take members with names and designations, and a rule they decide by', () => {
    const contacts = contactsSchema.parse({
      role: 'stateCommittee',
      members: [
        { name: 'A. Gupta', email: 'a@delhi.gov.in', designation: 'Secretary (IT)' },
        { name: 'B. Rao', email: 'b@delhi.gov.in' },
        { email: 'c@delhi.gov.in' },
      ],
      rule: 'Quorum:2',
    });

    expect(contacts.members).toEqual([
      { name: 'A. Gupta', email: 'a@delhi.gov.in', designation: 'Secretary (IT)' },
      { name: 'B. Rao', email: 'b@delhi.gov.in' },
      { name: 'c@delhi.gov.in', email: 'c@delhi.gov.in' },
    ]);
    expect(contacts.emails).toEqual(['a@delhi.gov.in', 'b@delhi.gov.in', 'c@delhi.gov.in']);
    expect(contacts.rule).toBe('quorum:2');
  });

  it.each([
    [{ role: 'stateCommittee', emails: ['a@b.in'], rule: 'majority' }, 'rule'],
    [{ role: 'stateCommittee', emails: ['a@b.in'], rule: 'quorum:2' }, 'rule'],
    [{ role: 'stateCommittee', members: [{ email: 'a@b.in', name: ' ' }] }, 'members[0].name'],
    [{ role: 'stateCommittee', members: [] }, 'members'],
    [{ role: 'department', emails: ['a@b.in'] }, 'role'],
    [{ role: 'degsTechnical', emails: [] }, 'emails'],
    [{ role: 'degsTechnical', emails: ['a@b.in', 'not-an-email'] }, 'emails[1]'],
    [{ role: 'degsTechnical', emails: ['a@b.in'], name: '  ' }, 'name'],
    [{ role: 'degsTechnical', emails: ['a@b.in'], phone: '1' }, 'phone'],
  ])('reject %j on %s', (input, field) => {
    const result = contactsSchema.safeParse(input);

    expect(result.success).toBe(false);
    expect(result.error && zodIssuesToFieldErrors(result.error).map((e) => e.field)).toEqual([field]);
  });
});
