import { describe, expect, it } from 'vitest';
import { parseFormat, renderResult, renderTable } from '../../bin/admin/format';
import { actorOf, identityFromArn, identityFromOs } from '../../bin/admin/identity';
import { type OnboardingRow, rowForTable } from '../../bin/admin/onboarding-views';
import { keyState, parseGrace } from '../../lambdas/departments/key-state';

describe('admin output', () => {
  it('renders rows as an aligned table, one line per row, with - for missing cells', () => {
    const text = renderTable([
      { id: 'a', step: 4, who: 'e-Taal Nodal Contact' },
      { id: 'bbbb', step: 12, comment: 'line one\nline two' },
    ]);
    expect(text.split('\n')).toEqual([
      'id    step  who                   comment',
      '----  ----  --------------------  -----------------',
      'a     4     e-Taal Nodal Contact  -',
      'bbbb  12    -                     line one line two',
    ]);
  });

  it('cuts long cells with an ellipsis, counts Devanagari by code point, and says (none) for no rows', () => {
    const long = renderTable([{ name: 'x'.repeat(100) }]);
    expect(long.split('\n')[2]).toBe(`${'x'.repeat(59)}…`);
    expect(renderTable([{ n: 'जन्म' }, { n: 'ab' }]).split('\n')[3]).toBe('ab');
    expect(renderTable([], ['a', 'b'])).toBe('a  b\n-  -\n(none)');
  });

  it('renders a result: scalars as name: value lines, each list of objects as a titled table', () => {
    expect(renderResult({ status: 'LIVE', steps: [{ step: 1 }] })).toBe(
      'status: LIVE\n\nsteps:\nstep\n----\n1',
    );
  });

  it('shows a yes/no column as the JSON says it: overdue no (not -) for an onboarding on time or finished', () => {
    const row = (overdue: boolean, status: OnboardingRow['status']): OnboardingRow => ({
      onboardingId: `onb-${status}`,
      department: 'ADM',
      status,
      step: 4,
      stepTitle: 'Review',
      waitingOn: [],
      overdue,
      breaches: 0,
      updatedAt: '2026-12-07T00:00:00Z',
    });
    const lines = renderTable(
      [row(false, 'IN_PROGRESS'), row(true, 'STALLED'), row(false, 'LIVE')].map(rowForTable),
    ).split('\n');
    const overdueColumn = (line: string) => line.slice(lines[0]?.indexOf('overdue')).split(/\s+/)[0];
    expect(lines.slice(2).map(overdueColumn)).toEqual(['no', 'yes', 'no']);
  });

  it('accepts json (default) and table only', () => {
    expect(parseFormat(undefined)).toBe('json');
    expect(parseFormat('table')).toBe('table');
    expect(parseFormat('yaml')).toBeUndefined();
  });
});

describe('admin identity', () => {
  it('takes the session name of an assumed role (an SSO e-mail is the e-mail too), and the ARN in `by`', () => {
    const arn = 'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_abc/asha.verma@delhi.gov.in';
    const identity = identityFromArn(arn);
    expect(identity).toEqual({
      name: 'asha.verma@delhi.gov.in',
      email: 'asha.verma@delhi.gov.in',
      source: 'aws',
      arn,
    });
    expect(actorOf(identity)).toEqual({
      name: `asha.verma@delhi.gov.in (${arn})`,
      email: 'asha.verma@delhi.gov.in',
    });
  });

  it('takes an IAM user name, and the OS user locally', () => {
    expect(identityFromArn('arn:aws:iam::123456789012:user/ops/ravi')).toMatchObject({
      name: 'ravi',
      email: '',
    });
    expect(actorOf(identityFromOs('ravi', 'laptop', 'ravi@degs.example'))).toEqual({
      name: 'ravi@laptop',
      email: 'ravi@degs.example',
    });
  });
});

describe('API key life', () => {
  it('parses grace periods in days, hours, minutes or seconds, and nothing else', () => {
    expect(parseGrace('7d')).toBe(7 * 86_400_000);
    expect(parseGrace('12h')).toBe(12 * 3_600_000);
    expect(parseGrace('45s')).toBe(45_000);
    for (const bad of ['0d', '7', '1w', '-1d', '7 days', '']) expect(parseGrace(bad)).toBeUndefined();
  });

  it('lets a rotated key in until its grace ends, a revoked one never', () => {
    const now = new Date('2026-12-07T00:00:00Z');
    expect(keyState({}, now)).toBe('active');
    expect(keyState({ graceUntil: '2026-12-07T00:00:01Z' }, now)).toBe('grace');
    expect(keyState({ graceUntil: '2026-12-07T00:00:00Z' }, now)).toBe('expired');
    expect(keyState({ graceUntil: '2026-12-08T00:00:00Z', revokedAt: '2026-12-06T00:00:00Z' }, now)).toBe(
      'revoked',
    );
  });
});
