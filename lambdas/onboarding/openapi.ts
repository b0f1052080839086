import { ROLES, sopStep } from '../core/sop';
import { serviceTemplateSchema, serviceTemplatesSubmissionSchema } from '../core/template';
import { decisionSchema, roleSchema, stepNumberSchema } from '../core/vocabulary';
import {
  ONBOARDING_STATUSES,
  SERVICE_CODE_STATUSES,
  type ServiceCodeStatus,
  WAIT_PHASES,
} from '../core/workflow';
import * as z from '../core/zod';
import { jsonBodyProblems, operation, type RouteDocs } from '../shared/openapi';
import {
  createOnboardingSchema,
  getOnboardingQuerySchema,
  idempotencyHeadersSchema,
  listOnboardingsQuerySchema,
  onboardingPathSchema,
  templateDocumentPathSchema,
} from './api/schemas';
import { onboardingExamples } from './examples';
import { WAITS } from './workflow/waits';

/**
 * The onboarding API in the reference (routes: ./functions.ts). Request schemas are the handlers' own;
 * the response schemas describe ./api/view.ts, and the contract tests check real answers against them.
 */

const roleView = z.object({ role: roleSchema, label: z.string() });

/** Members of a `409 not-accepting-templates` (./templates-conflict.ts): where it is, what to do. */
const templatesConflictSchema = z.object({
  state: z
    .optional(
      z.object({
        status: z
          .string()
          .check(z.meta({ description: 'The onboarding status, e.g. IN_PROGRESS, REJECTED, LIVE.' })),
        step: stepNumberSchema,
        stepTitle: z.string(),
        phase: z.optional(z.enum(WAIT_PHASES)).check(z.meta({ description: 'The wait the step is in.' })),
        waitingFor: z.optional(roleSchema).check(z.meta({ description: 'Whom the step waits for now.' })),
        templatesVersion: z
          .int()
          .check(z.minimum(0), z.meta({ description: 'The version of the templates held (0: none).' })),
      }),
    )
    .check(z.meta({ description: '`not-accepting-templates` only: where the onboarding is.' })),
  nextAction: z
    .optional(z.string())
    .check(z.meta({ description: '`not-accepting-templates` only: what the department can do now.' })),
});

const stepSchema = z.object({
  step: stepNumberSchema,
  title: z.string(),
  status: z.enum(['pending', 'active', 'done', 'overdue']),
  actingRoles: z.array(roleView),
  waitingFor: z
    .array(roleView)
    .check(z.meta({ description: 'Who the step waits for now (empty unless active).' })),
  workingDays: z.int(),
  startedAt: z.optional(z.iso.datetime()),
  dueAt: z.optional(z.iso.datetime()),
  dueAtIst: z.optional(z.string()),
  completedAt: z.optional(z.iso.datetime()),
  escalations: z.int(),
  decisions: z.array(
    z.object({
      role: z.union([roleSchema, z.literal('system')]),
      decision: decisionSchema,
      comment: z.optional(z.string()),
      decidedAt: z.iso.datetime(),
      phase: z.optional(z.string()),
      label: z.string(),
    }),
  ),
});

const documentLinkFields = {
  url: z
    .string()
    .check(z.meta({ description: "The PDF's path, relative to the API's base URL (send your API key)." })),
  sha256: z.string().check(z.meta({ description: 'SHA-256 of the PDF file, hex.' })),
};

const templateDocumentSchema = z
  .object({
    templatesVersion: z.int().check(z.minimum(1)),
    ...documentLinkFields,
    templateSha256: z
      .string()
      .check(
        z.meta({ description: 'SHA-256 of the template data the PDF shows, hex (printed in the PDF).' }),
      ),
    pages: z.int().check(z.minimum(1)),
    signed: z
      .optional(
        z.object({
          ...documentLinkFields,
          signerSubject: z.string().check(z.meta({ description: "The signing certificate's subject." })),
          signerIssuer: z.string().check(z.meta({ description: 'The certifying authority that issued it.' })),
          signerSerial: z.string(),
          signerCertificateSha256: z.string(),
          signingTime: z
            .optional(z.iso.datetime())
            .check(z.meta({ description: 'The time the signature claims.' })),
          revocationChecked: z
            .boolean()
            .check(z.meta({ description: "Whether the certificate's revocation status was checked." })),
          warnings: z
            .array(z.string())
            .check(z.meta({ description: 'What every later approver is shown about the signature.' })),
        }),
      )
      .check(z.meta({ description: 'The copy the competent authority signed at step 3, once verified.' })),
  })
  .check(
    z.meta({
      id: 'TemplateDocument',
      description:
        'The Service Details Template PDF issued for the current templates, and its signed copy once there is one.',
    }),
  );

const waitingForSchema = z
  .object({
    step: stepNumberSchema,
    stepTitle: z.string(),
    role: roleSchema,
    label: z.string().check(z.meta({ description: 'The role, for people.' })),
    persons: z
      .array(
        z.object({
          name: z.string(),
          email: z.string().check(
            z.meta({
              description:
                'Masked: the first character and the domain, enough to recognise the person (`r•••@delhi.gov.in`).',
            }),
          ),
        }),
      )
      .check(
        z.meta({
          description:
            'The persons asked to act: those the approval links were sent to, else the contacts of the role (your nodal officer or competent authority for your own steps).',
        }),
      ),
    since: z.optional(z.iso.datetime()).check(z.meta({ description: 'Since when they have been asked.' })),
    sinceIst: z.optional(z.string()),
    dueAt: z.optional(z.iso.datetime()),
    dueAtIst: z.optional(z.string()).check(z.meta({ description: 'The due date for people, in IST.' })),
    overdue: z.boolean().check(z.meta({ description: 'The due date has passed (the wait is escalated).' })),
  })
  .check(
    z.meta({
      id: 'WaitingFor',
      description: 'One wait the onboarding is in now, and who it waits for.',
      example: {
        step: WAITS.review.step,
        stepTitle: sopStep(WAITS.review.step).title,
        role: WAITS.review.role,
        label: ROLES[WAITS.review.role],
        persons: [{ name: 'Ritu Sharma', email: 'r•••@delhi.gov.in' }],
        since: '2026-11-16T05:30:00.000Z',
        sinceIst: 'Mon 16 Nov 2026, 11:00 IST',
        dueAt: '2026-11-23T18:29:59.000Z',
        dueAtIst: 'Mon 23 Nov 2026, 23:59 IST',
        overdue: false,
      },
    }),
  );

const statusSchema = z.enum(ONBOARDING_STATUSES).check(
  z.meta({
    description:
      'IN_PROGRESS; STALLED (a step is overdue); ATTENTION (paused by a failure on our side until DeGS resumes it: see `attention`); LIVE; REJECTED; CANCELLED (ended by DeGS, with the reason in its timeline; DeGS may reopen it).',
  }),
);

export const onboardingViewSchema = z
  .object({
    onboardingId: z.uuid(),
    status: statusSchema,
    stalled: z.boolean(),
    attention: z
      .optional(
        z.object({
          step: stepNumberSchema,
          since: z.iso.datetime(),
          message: z
            .string()
            .check(z.meta({ description: 'What happened and what DeGS does next, in a sentence.' })),
        }),
      )
      .check(
        z.meta({
          description:
            'Only with status ATTENTION: the step a failure on our side paused, since when, and a plain sentence. DeGS is alerted and resumes the onboarding; nothing is needed from you.',
        }),
      ),
    currentStep: stepNumberSchema,
    currentStepTitle: z.string(),
    waitingFor: z
      .array(waitingForSchema)
      .check(z.meta({ description: 'Who the onboarding waits for now; empty once it is live or ended.' })),
    overdue: z.boolean().check(z.meta({ description: 'Whether any of those waits is past its due date.' })),
    department: z.object({ departmentId: z.string(), code: z.string(), name: z.string() }),
    nodalOfficer: z.object({
      name: z.string(),
      designation: z.string(),
      email: z.string(),
      phone: z.string(),
    }),
    competentAuthority: z.object({ name: z.string(), designation: z.string(), email: z.string() }),
    services: z.array(z.object({ serviceName: z.string(), serviceCode: z.optional(z.string()) })),
    serviceCodes: z
      .optional(z.array(z.object({ serviceName: z.string(), serviceCode: z.string() })))
      .check(z.meta({ description: 'The Government Service Codes, once issued (step 6).' })),
    // Retirement is per service code (`services retire`); an onboarding's codes are never all retired by it.
    serviceCodeStatus: z.optional(
      z.enum(
        SERVICE_CODE_STATUSES.filter(
          (status): status is Exclude<ServiceCodeStatus, 'retired'> => status !== 'retired',
        ),
      ),
    ),
    templatesVersion: z.int(),
    templatesSubmittedAt: z.optional(z.iso.datetime()),
    templates: z
      .optional(z.array(serviceTemplateSchema))
      .check(z.meta({ description: 'The current templates: only with `?include=templates`.' })),
    amendmentRounds: z.int().check(
      z.meta({
        description:
          'Returns for amendments at step 4 so far (at most 5). Starts again at 0 when DeGS reopens the onboarding at step 4 or before.',
      }),
    ),
    document: z.optional(templateDocumentSchema),
    steps: z.array(stepSchema).check(z.length(12)),
    predictedGoLive: z
      .optional(z.iso.date())
      .check(z.meta({ description: 'Expected go-live date (IST) at the SoP pace.' })),
    createdAt: z.iso.datetime(),
    createdAtIst: z.string(),
    updatedAt: z.iso.datetime(),
    liveAt: z.optional(z.iso.datetime()),
    rejectedAt: z.optional(z.iso.datetime()),
  })
  .check(z.meta({ id: 'Onboarding' }));

const onboardingSummarySchema = z
  .object({
    onboardingId: z.uuid(),
    status: statusSchema,
    currentStep: stepNumberSchema,
    currentStepTitle: z.string(),
    services: z.int().check(z.meta({ description: 'Number of services.' })),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .check(z.meta({ id: 'OnboardingSummary' }));

const onboardingListSchema = z
  .object({
    items: z.array(onboardingSummarySchema),
    nextCursor: z.optional(z.string()).check(z.meta({ description: 'Pass as `cursor` for the next page.' })),
  })
  .check(z.meta({ id: 'OnboardingList' }));

const templatesAcceptedSchema = z
  .object({
    onboardingId: z.uuid(),
    templatesVersion: z.int(),
    submittedAt: z.iso.datetime(),
    services: z.int(),
    document: z
      .object({
        ...documentLinkFields,
        templateSha256: templateDocumentSchema.shape.templateSha256,
      })
      .check(z.meta({ description: 'The Service Details Template PDF issued for this version.' })),
    next: z.string().check(z.meta({ description: 'What happens next.' })),
  })
  .check(z.meta({ id: 'TemplatesAccepted' }));

function pdfOperation(signed: boolean) {
  return operation({
    operationId: signed ? 'getSignedTemplateDocument' : 'getTemplateDocument',
    tags: ['Onboarding'],
    summary: signed
      ? 'The signed Service Details Template (PDF)'
      : 'The issued Service Details Template (PDF)',
    description: signed
      ? 'The copy of the issued PDF your competent authority signed with a digital signature at step 3, once verified (`document.signed` of the onboarding).'
      : 'The PDF the system issued for a version of your templates: the document your competent authority signs at step 3 (`document` of the onboarding).',
    apiKey: true,
    requestParams: { path: templateDocumentPathSchema },
    responses: {
      '200': {
        description: 'The PDF file.',
        headers: z.object({
          'Content-Disposition': z.string().check(
            z.meta({
              example: `attachment; filename="service-details-REV-v1${signed ? '-signed' : ''}.pdf"`,
            }),
          ),
          'X-Document-Sha256': z.string().check(
            z.meta({
              description: `SHA-256 of the file, hex (\`document${signed ? '.signed' : ''}.sha256\`).`,
            }),
          ),
        }),
        content: {
          'application/pdf': {
            schema: z
              .string()
              .check(z.meta({ contentMediaType: 'application/pdf', description: 'The PDF file.' })),
          },
        },
      },
    },
    problems: { 404: ['not-found'] },
  });
}

const templatesCsvSchema = z.string().check(
  z.meta({
    description:
      'The templates as CSV: header `serviceName,serviceDescription,deliveryMode,category,missionModeProject`, one service per row; missionModeProject is yes/no. Problems are named `row N, column name` (row 1 is the header).',
  }),
);

export const onboardingRouteDocs: RouteDocs = () => {
  const examples = onboardingExamples();
  return {
    'POST /v1/onboardings': operation({
      operationId: 'createOnboarding',
      tags: ['Onboarding'],
      summary: 'Start an onboarding (SoP step 1)',
      description:
        'Lists the services to bring to e-Taal and nominates the nodal officer; the workflow starts at step 2 (the template email). The same request sent twice the same day is one onboarding; send an `Idempotency-Key` to control that yourself.',
      apiKey: true,
      requestParams: { header: idempotencyHeadersSchema },
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: createOnboardingSchema,
            examples: { revenue: { value: examples.create } },
          },
        },
      },
      responses: {
        '201': {
          description:
            'The onboarding (also for a replay of the same request, with `Idempotent-Replayed: true`).',
          headers: z.object({
            Location: z.string().check(z.meta({ description: "The onboarding's URL path." })),
            'Idempotent-Replayed': z.optional(z.literal('true')),
          }),
          content: { 'application/json': { schema: onboardingViewSchema } },
        },
      },
      problems: jsonBodyProblems({
        400: ['invalid-headers'],
        409: ['idempotency-key-reused'],
        422: ['validation-error'],
        429: ['onboarding-rate-limit', 'open-onboardings-quota'],
        503: ['service-unavailable'],
      }),
    }),
    'GET /v1/onboardings': operation({
      operationId: 'listOnboardings',
      tags: ['Onboarding'],
      summary: "Your department's onboardings, newest first",
      apiKey: true,
      requestParams: { query: listOnboardingsQuerySchema },
      responses: {
        '200': {
          description: 'A page of onboardings.',
          content: { 'application/json': { schema: onboardingListSchema } },
        },
      },
      problems: { 422: ['validation-error'] },
    }),
    'GET /v1/onboardings/{onboardingId}': operation({
      operationId: 'getOnboarding',
      tags: ['Onboarding'],
      summary: 'One onboarding: who it waits for, its 12 steps, deadlines and decisions',
      description:
        'Small by default: `waitingFor` names the persons the onboarding waits for (e-mail masked), since when and until when (IST), and `overdue` flags a passed due date. Add `?include=templates` for the current service-details templates.',
      apiKey: true,
      requestParams: { path: onboardingPathSchema, query: getOnboardingQuerySchema },
      responses: {
        '200': {
          description: 'The onboarding.',
          content: { 'application/json': { schema: onboardingViewSchema } },
        },
      },
      problems: { 404: ['not-found'], 422: ['validation-error'] },
    }),
    'PUT /v1/onboardings/{onboardingId}/templates': operation({
      operationId: 'submitTemplates',
      tags: ['Onboarding'],
      summary: 'Submit the service-details templates (SoP steps 3-4)',
      description:
        "One template per listed service, as JSON or CSV; each submission replaces the whole set (a new version). Taken while the workflow waits for them: at step 3, again until the competent authority (HoD) decides (the pending HoD link is superseded and a new one sent for the new version, the deadline unchanged), after the HoD returns them, and when the e-Taal Nodal Contact returns them for amendments at step 4 (the HoD then signs off the amended version before the review). A `409 not-accepting-templates` names the onboarding's `state` and the department's `nextAction`.",
      apiKey: true,
      requestParams: { path: onboardingPathSchema },
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: serviceTemplatesSubmissionSchema,
            examples: { revenue: { value: examples.templates } },
          },
          'text/csv': { schema: templatesCsvSchema },
        },
      },
      responses: {
        '202': {
          description: 'Accepted: the workflow moves on.',
          content: { 'application/json': { schema: templatesAcceptedSchema } },
        },
      },
      problems: jsonBodyProblems({
        404: ['not-found'],
        409: ['not-accepting-templates', 'concurrent-submission', 'wait-expired'],
        422: ['validation-error'],
        503: ['service-unavailable'],
      }),
      problemExtensions: { 409: templatesConflictSchema },
    }),
    'GET /v1/onboardings/{onboardingId}/templates/{version}/document.pdf': pdfOperation(false),
    'GET /v1/onboardings/{onboardingId}/templates/{version}/signed.pdf': pdfOperation(true),
  };
};
