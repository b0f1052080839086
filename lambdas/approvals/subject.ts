import { listCountsByServiceCodes } from '../counts/queries';
import { getOnboarding } from '../onboarding/repository';
import { stepModule } from '../onboarding/steps';
import type { ApprovalRecord } from './approval';
import type { ApprovalSubject, SubjectService } from './pages';
import { revisionSection } from './revision-section';
import { documentSection } from './signed-approval';

/**
 * Loads what an approval page shows: the onboarding's department and services with the templates of
 * its current submission and their codes, and the test counts received where the step's page shows them. Read-only: GET and
 * HEAD of a link must never write anything.
 */
export async function loadSubject(
  record: ApprovalRecord,
  link?: { approvalId: string; nonce?: string },
): Promise<ApprovalSubject> {
  const onboarding = await getOnboarding(record.onboardingId);
  const document = link && (await documentSection(record, onboarding, link.approvalId, link.nonce));
  const revision = await revisionSection(record, onboarding);
  // Up to 200 services: look their templates up by name rather than scanning the list for each.
  const templates = new Map((onboarding?.templates ?? []).map((t) => [t.serviceName, t]));
  const services: SubjectService[] = (onboarding?.services ?? []).map((service) => ({
    ...templates.get(service.serviceName),
    ...service,
  }));
  if (stepModule(record.step).page?.section !== 'servicesWithTestCounts') {
    return {
      departmentName: onboarding?.departmentName,
      departmentCode: onboarding?.departmentCode,
      services,
      ...(document ? { document } : {}),
      ...(revision ? { revision } : {}),
    };
  }
  const codes = services.flatMap((service) => (service.serviceCode ? [service.serviceCode] : []));
  const counts = codes.length > 0 ? await listCountsByServiceCodes(codes) : [];
  return {
    departmentName: onboarding?.departmentName,
    departmentCode: onboarding?.departmentCode,
    services,
    ...(document ? { document } : {}),
    testCounts: counts.filter((count) => count.phase === 'test'),
  };
}
