import { describe, expect, it } from 'vitest';
import { auditTypeOf, type OnboardingAuditEvent } from '../../lambdas/core/audit-events';

describe('audit entry types', () => {
  it('reads an entry written under an older name as today’s type', () => {
    expect(auditTypeOf('STEP_STARTED')).toBe('step.started');
    expect(auditTypeOf('DECISION')).toBe('decision.recorded');
    expect(auditTypeOf('NEEDS_ADMIN')).toBe('onboarding.needs-admin');
    expect(auditTypeOf('EMAIL_FAILED')).toBe('email.failed');
    expect(auditTypeOf('ONBOARDING_CANCELLED')).toBe('onboarding.cancelled');
    expect(auditTypeOf('API_KEY_ROTATED')).toBe('api-key.rotated');
    expect(auditTypeOf('COMPETENT_AUTHORITY_PINNED')).toBe('competent-authority.pinned');
    expect(auditTypeOf('SERVICE_RETIRED')).toBe('service.retired');
  });

  it('passes today’s names, and names it does not know, unchanged', () => {
    expect(auditTypeOf('approval.decided')).toBe('approval.decided');
    expect(auditTypeOf('step.deadline-breached')).toBe('step.deadline-breached');
    expect(auditTypeOf('SOMETHING_NEWER')).toBe('SOMETHING_NEWER');
    expect(auditTypeOf('toString')).toBe('toString');
  });
});

describe('audit entry types at compile time', () => {
  it('lets a writer use only a declared type, with that type’s fields', () => {
    const entries: OnboardingAuditEvent[] = [
      { type: 'step.started', step: 4, role: 'etaalNodalContact', detail: { phase: 'review', dueAt: 'x' } },
      // @ts-expect-error an older name is not a type a writer may use
      { type: 'STEP_STARTED', step: 4, role: 'etaalNodalContact', detail: { phase: 'review', dueAt: 'x' } },
      // @ts-expect-error a field another type carries
      { type: 'onboarding.live', step: 12, detail: { emailed: 1 } },
    ];
    expect(entries).toHaveLength(3);
  });
});
