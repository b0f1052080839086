import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../../lambdas/core/calendar';
import { predictGoLive, stepDeadline } from '../../lambdas/core/deadline';
import { SEED_HOLIDAY_CALENDARS } from '../../lambdas/core/holidays-seed';
import { SOP_STEPS } from '../../lambdas/core/sop';

const calendar = createWorkingCalendar(SEED_HOLIDAY_CALENDARS, { onMissingYear: () => {} });
/** Fri 20 Nov 2026, 10:00 IST. */
const friday10am = new Date('2026-11-20T04:30:00Z');
/** Seconds from Fri 20 Nov 10:00 IST to Wed 25 Nov 23:59:59 IST. */
const fridayToWednesdaySeconds = 5 * 86_400 + 13 * 3600 + 59 * 60 + 59;

describe('stepDeadline', () => {
  it('gives the SoP due instant and the seconds until it', () => {
    const deadline = stepDeadline({ startedAt: friday10am, workingDays: 2, calendar });
    expect(deadline).toEqual({ dueAt: '2026-11-25T18:29:59.000Z', timeoutSeconds: fridayToWednesdaySeconds });
  });

  it('rounds a partial second up, so the timeout never fires before the due instant', () => {
    const startedAt = new Date(friday10am.getTime() + 1);
    expect(stepDeadline({ startedAt, workingDays: 2, calendar }).timeoutSeconds).toBe(
      fridayToWednesdaySeconds,
    );
  });

  it('with a time scale, times out that many times sooner but keeps the real due date', () => {
    const deadline = stepDeadline({ startedAt: friday10am, workingDays: 2, calendar, timeScale: 60 });
    expect(deadline.dueAt).toBe('2026-11-25T18:29:59.000Z');
    expect(deadline.timeoutSeconds).toBe(Math.ceil(fridayToWednesdaySeconds / 60));
  });

  it('never asks Step Functions for less than 1 second', () => {
    const huge = stepDeadline({ startedAt: friday10am, workingDays: 1, calendar, timeScale: 1e9 });
    expect(huge.timeoutSeconds).toBe(1);
    // 0 working days started in the last second of a working day: the due instant has already passed.
    const lastSecond = new Date('2026-11-20T18:29:59.500Z');
    expect(stepDeadline({ startedAt: lastSecond, workingDays: 0, calendar }).timeoutSeconds).toBe(1);
  });

  it('refuses a time scale below 1 or not a number', () => {
    for (const timeScale of [0, 0.5, -2, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => stepDeadline({ startedAt: friday10am, workingDays: 1, calendar, timeScale })).toThrow(
        RangeError,
      );
    }
  });

  it('for any start and time scale: a whole number of seconds ≥ 1 that ends at most one scaled second after the due instant', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 31) }),
        fc.integer({ min: 0, max: 12 }),
        fc.constantFrom(1, 7, 60, 3600),
        (startMs, workingDays, timeScale) => {
          const { dueAt, timeoutSeconds } = stepDeadline({
            startedAt: new Date(startMs),
            workingDays,
            calendar,
            timeScale,
          });
          expect(Number.isInteger(timeoutSeconds) && timeoutSeconds >= 1).toBe(true);
          const remainingMs = Date.parse(dueAt) - startMs;
          if (remainingMs > 0) {
            const firesAfterMs = timeoutSeconds * 1000 * timeScale;
            expect(firesAfterMs).toBeGreaterThanOrEqual(remainingMs);
            expect(firesAfterMs).toBeLessThan(remainingMs + 1000 * timeScale);
          }
        },
      ),
    );
  });
});

describe('predictGoLive', () => {
  it('predicts the whole SoP started on Fri 20 Nov 2026 to go live on Tue 29 Dec (25 working days, two holidays)', () => {
    expect(predictGoLive({ now: friday10am, remainingSteps: SOP_STEPS, calendar })).toBe('2026-12-29');
  });

  it('adds up only the steps that remain', () => {
    const lastThree = SOP_STEPS.filter((s) => s.number >= 10);
    expect(lastThree.reduce((sum, s) => sum + s.workingDays, 0)).toBe(5);
    // Mon 23, Wed 25, Thu 26, Fri 27, Mon 30 Nov.
    expect(predictGoLive({ now: friday10am, remainingSteps: lastThree, calendar })).toBe('2026-11-30');
  });

  it('uses the IST date of "now"', () => {
    // Sat 21 Nov 01:30 IST: the first working day after it is Mon 23.
    const now = new Date('2026-11-20T20:00:00Z');
    expect(predictGoLive({ now, remainingSteps: [{ workingDays: 1 }], calendar })).toBe('2026-11-23');
  });
});
