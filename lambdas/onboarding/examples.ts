/**
 * The onboarding API's examples, shown in the API reference and sent as they are by the contract tests
 * (test/contract/*), so an example in the reference is a request that really works.
 */

const SERVICE_NAMES = ['Birth certificate', 'Domicile certificate'] as const;

/** A description of the template's minimum length (100 words), in plain words. */
function exampleDescription(serviceName: string): string {
  const sentence = `${serviceName} is issued online by the department to residents of Delhi after verification of the documents they upload.`;
  const words = sentence.split(' ');
  return Array.from({ length: 120 }, (_, i) => words[i % words.length]).join(' ');
}

export function onboardingExamples() {
  return {
    create: {
      nodalOfficer: {
        name: 'Asha Verma',
        designation: 'IT in-charge',
        email: 'nodal.officer@rev.example',
        phone: '+91 11 2339 0000',
      },
      competentAuthority: {
        name: 'R. K. Singh',
        designation: 'Secretary (Revenue)',
        email: 'hod@rev.example',
      },
      services: SERVICE_NAMES.map((serviceName) => ({ serviceName })),
    },
    templates: {
      services: SERVICE_NAMES.map((serviceName) => ({
        serviceName,
        serviceDescription: exampleDescription(serviceName),
        deliveryMode: 'Online',
        category: 'G2C',
        missionModeProject: false,
      })),
    },
  };
}
