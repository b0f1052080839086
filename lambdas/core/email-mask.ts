/**
 * An e-mail address shown to someone who needs to recognise the person but should not get a working
 * address to write to (the department, reading who its onboarding waits for): the first character of
 * the local part, a fixed mask, and the domain, which says which office the person is in.
 *   "ritu.sharma@delhi.gov.in" -> "r•••@delhi.gov.in"
 * The mask has a fixed length, so it tells nothing about the length of the name; anything that is not
 * a plain local@domain address is masked whole.
 */
export const EMAIL_MASK = '•••';

export function maskEmail(address: string): string {
  const trimmed = address.trim();
  const at = trimmed.lastIndexOf('@');
  if (at < 1 || at === trimmed.length - 1) return EMAIL_MASK;
  const first = Array.from(trimmed.slice(0, at))[0] as string;
  return `${first}${EMAIL_MASK}@${trimmed.slice(at + 1).toLowerCase()}`;
}
