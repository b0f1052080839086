import type { Onboarding } from '../../lambdas/core/workflow';
import { emptySteps } from '../../lambdas/onboarding/repository';

/** A description of exactly `words` words, for the 100–500 word rule. */
export function words(count: number, word = 'service'): string {
  return Array.from({ length: count }, (_, i) => `${word}${i}`).join(' ');
}

export function template(serviceName: string, overrides: Record<string, unknown> = {}) {
  return {
    serviceName,
    serviceDescription: words(120),
    deliveryMode: 'Online',
    category: 'G2C',
    missionModeProject: false,
    ...overrides,
  };
}

export const CREATE_BODY = {
  nodalOfficer: {
    name: 'Nodal Officer',
    designation: 'IT in-charge',
    email: 'nodal@dept.example',
    phone: '+91 11 2345 6789',
  },
  competentAuthority: { name: 'Head of Department', designation: 'Secretary', email: 'hod@dept.example' },
  services: [{ serviceName: 'Birth certificate' }, { serviceName: 'Trade licence' }],
};

export function onboardingFixture(overrides: Partial<Onboarding> = {}): Onboarding {
  const createdAt = '2026-11-20T04:30:00.000Z';
  return {
    onboardingId: '0b0b0b0b-0000-8000-8000-000000000001',
    departmentId: 'dept-1',
    departmentCode: 'REV',
    departmentName: 'Revenue Department',
    status: 'IN_PROGRESS',
    currentStep: 2,
    nodalOfficer: CREATE_BODY.nodalOfficer,
    competentAuthority: CREATE_BODY.competentAuthority,
    services: CREATE_BODY.services,
    templatesVersion: 0,
    amendmentRounds: 0,
    steps: { ...emptySteps(), '1': { startedAt: createdAt, dueAt: createdAt, completedAt: createdAt } },
    createdAt,
    updatedAt: createdAt,
    ...overrides,
  };
}
