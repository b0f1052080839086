import type { ServiceTemplate } from '../../lambdas/core/template';
import type { TemplateDocumentInput } from '../../lambdas/documents/template-pdf';

const HINDI_WORDS = ['नागरिक', 'सेवा', 'आवेदन', 'प्रमाणपत्र', 'स्थिति', 'शिकायत', 'निवारण', 'कृषि', 'स्वास्थ्य'];
const ENGLISH_WORDS = ['citizens', 'apply', 'online', 'certificate', 'status', 'department', 'verification'];

/** A description of `words` words, alternating scripts so both are shaped and measured. */
export function description(words: number, seed = 0): string {
  return Array.from({ length: words }, (_, i) => {
    const k = i + seed;
    return k % 3 === 0 ? HINDI_WORDS[k % HINDI_WORDS.length] : ENGLISH_WORDS[k % ENGLISH_WORDS.length];
  }).join(' ');
}

export function templateService(index: number, words = 120): ServiceTemplate {
  return {
    serviceName: index % 2 === 0 ? `आय प्रमाणपत्र सेवा ${index + 1}` : `Trade licence renewal ${index + 1}`,
    serviceDescription: description(words, index),
    deliveryMode: index % 2 === 0 ? 'Online' : 'OCe',
    category: 'G2C',
    missionModeProject: index % 3 === 0,
  };
}

export function documentInput(overrides: Partial<TemplateDocumentInput> = {}): TemplateDocumentInput {
  return {
    onboardingId: 'onb_01JTESTTESTTESTTESTTESTTEST',
    departmentName: 'राजस्व विभाग (Revenue Department)',
    departmentCode: 'REV',
    nodalOfficer: {
      name: 'Asha Verma',
      designation: 'Deputy Secretary',
      email: 'asha.verma@delhi.gov.in',
      phone: '+91 11 2339 0000',
    },
    competentAuthority: {
      name: 'डॉ. राजेश कुमार',
      designation: 'Secretary (Revenue)',
      email: 'secy.rev@delhi.gov.in',
    },
    templatesVersion: 1,
    submissionId: '7f0c1a52-8c0e-4b7e-9d55-2f6b3c1d9e10',
    submittedAt: '2026-04-01T06:30:00.000Z',
    services: [templateService(0), templateService(1)],
    ...overrides,
  };
}
