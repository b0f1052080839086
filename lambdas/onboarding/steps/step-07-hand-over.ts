import { istDateOf } from '../../core/calendar';
import { formatDayNumber, requireIsoDate } from '../../core/iso-date';
import type { Onboarding } from '../../core/workflow';
import { type IntegrationKit, integrationKit, type KitSection } from '../../integration/kit';
import { html } from '../../shared/html';
import { type Block, compose, due, type Email, heading, paragraph } from '../emails';
import type { NotifyContext, StepModule } from './types';

/**
 * SoP step 7 (automatic): the hand-over kit (../../integration/kit.ts) to the nodal officer: each code,
 * the Web-Service URL, the API reference, ready-to-paste requests and whom to contact. The same kit is
 * served at GET /v1/integration.
 */
const NUMBER = 7;

export function handOverEmail(onboarding: Onboarding, kit: IntegrationKit, integrationDueAt: string): Email {
  return compose(onboarding, NUMBER, 'your Government Service Codes', [
    paragraph(
      `Dear ${onboarding.nodalOfficer.name}, your services are registered. Each has a unique Government Service Code. This integration kit has everything your developers need to send its counts:`,
    ),
    ...kit.sections.flatMap(kitBlocks),
    due(integrationDueAt),
  ]);
}

/** A section of the kit; commands keep their exact text, to be pasted. */
function kitBlocks(section: KitSection): Block[] {
  return [
    heading(section.heading),
    ...section.paragraphs.map(paragraph),
    ...(section.commands ?? []).map((command) => ({
      html: html`<pre>${command}</pre>`,
      text: `\n${command}\n`,
    })),
  ];
}

/** The onboarding's codes and the configured DeGS Technical contact, with yesterday in the examples. */
async function handOverKit(
  onboarding: Onboarding,
  { baseUrl, effects }: NotifyContext,
  now: Date,
): Promise<IntegrationKit> {
  return integrationKit({
    baseUrl,
    services: onboarding.services.flatMap((s) =>
      s.serviceCode ? [{ serviceName: s.serviceName, serviceCode: s.serviceCode }] : [],
    ),
    contact: await effects.integrationContact(),
    exampleDate: formatDayNumber(requireIsoDate(istDateOf(now)) - 1),
  });
}

export const step07: StepModule = {
  number: NUMBER,
  notify: {
    recipient: 'department',
    needsNextStepDueAt: true,
    compose: async (onboarding, context) =>
      handOverEmail(onboarding, await handOverKit(onboarding, context, new Date()), context.nextStepDueAt),
  },
};
