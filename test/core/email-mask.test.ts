import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMAIL_MASK, maskEmail } from '../../lambdas/core/email-mask';

describe('maskEmail', () => {
  it('keeps the first character and the domain, as the department sees an approver', () => {
    expect(maskEmail('ritu.sharma@delhi.gov.in')).toBe('r•••@delhi.gov.in');
    expect(maskEmail('  Hod@Rev.Example ')).toBe('H•••@rev.example');
  });

  it('hides the length of the name: one-letter and long local parts look alike', () => {
    expect(maskEmail('a@x.in')).toBe('a•••@x.in');
    expect(maskEmail('averyveryverylongname@x.in')).toBe('a•••@x.in');
  });

  it('keeps a first character outside the BMP whole', () => {
    expect(maskEmail('𝒜lice@x.in')).toBe('𝒜•••@x.in');
  });

  it('masks whole what is not local@domain', () => {
    for (const odd of ['', 'no-at-sign', '@delhi.gov.in', 'name@']) expect(maskEmail(odd)).toBe(EMAIL_MASK);
  });

  it('never shows more than one character of the local part', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (address) => {
        const masked = maskEmail(address);
        const [local] = address.split('@') as [string];
        expect(masked).toBe(`${local[0]}${EMAIL_MASK}@${address.split('@')[1]?.toLowerCase()}`);
      }),
    );
  });
});
