import { BACKFILL_DAYS, DEFAULT_LOCATION_CODE, MAX_ITEMS_PER_REQUEST } from '../core/counts';

/**
 * The hand-over kit (SoP step 7): everything a department's developer needs to send counts, with the
 * department's own codes filled in. One content, two renderings: the step-7 email to the nodal officer
 * (onboarding/emails.ts) and `GET /v1/integration`, which the department reaches with its API key at any
 * time, so the kit is not lost with the email. Pure: the caller passes what it read.
 */

export interface KitService {
  readonly serviceName: string;
  readonly serviceCode: string;
  /** The code's phase: testing (steps 8-12), live, issued (before the hand-over) or rejected. */
  readonly status?: string;
}

export interface KitContact {
  readonly name: string;
  readonly emails: readonly string[];
  readonly phone?: string;
}

export interface KitInput {
  readonly baseUrl: string;
  readonly services: readonly KitService[];
  /** Who helps with the integration: the DeGS Technical team as configured (`npm run admin -- contacts`). */
  readonly contact: KitContact | undefined;
  /** A date the example requests use (yesterday in IST: always accepted). */
  readonly exampleDate: string;
}

export interface KitSection {
  readonly heading: string;
  readonly paragraphs: readonly string[];
  /** Commands to paste as they are (monospace). */
  readonly commands?: readonly string[];
}

export interface IntegrationKit {
  readonly baseUrl: string;
  readonly referenceUrl: string;
  readonly openApiUrl: string;
  readonly countsUrl: string;
  readonly services: readonly KitService[];
  readonly contact: KitContact | undefined;
  readonly sections: readonly KitSection[];
}

const API_KEY_PLACEHOLDER = 'YOUR_API_KEY';

export function integrationKit(input: KitInput): IntegrationKit {
  const { baseUrl, services, contact, exampleDate } = input;
  const countsUrl = `${baseUrl}/v1/counts`;
  const referenceUrl = `${baseUrl}/docs`;
  const example = services[0]?.serviceCode ?? 'DL-XXX-0001';
  const body = JSON.stringify({
    counts: services.map((s) => ({ serviceCode: s.serviceCode, date: exampleDate, count: 0 })),
  });
  const curl = `curl -X PUT '${countsUrl}' -H 'x-api-key: ${API_KEY_PLACEHOLDER}' -H 'Content-Type: application/json' -d '${body}'`;
  const powershell = `Invoke-RestMethod -Method Put -Uri '${countsUrl}' -Headers @{ 'x-api-key' = '${API_KEY_PLACEHOLDER}' } -ContentType 'application/json' -Body '${body}'`;
  const readBack = `curl '${countsUrl}?serviceCode=${example}&from=${exampleDate}&to=${exampleDate}' -H 'x-api-key: ${API_KEY_PLACEHOLDER}'`;
  const csvHeader = 'serviceCode,date,count,locationCode';

  const sections: KitSection[] = [
    {
      heading: 'Your Government Service Codes',
      paragraphs: services.map((s) => `${s.serviceCode}: ${s.serviceName}`),
    },
    {
      heading: 'Where to send counts',
      paragraphs: [
        `Base URL: ${baseUrl}`,
        `Counts: PUT ${countsUrl} (read them back with GET on the same URL).`,
        `API reference (every field, status and error, with examples): ${referenceUrl}`,
        `OpenAPI 3.1 document, for client generators: ${baseUrl}/v1/openapi.json`,
        `This kit, at any time: GET ${baseUrl}/v1/integration with your API key.`,
      ],
    },
    {
      heading: 'A first request, ready to paste',
      paragraphs: [
        `Replace ${API_KEY_PLACEHOLDER} with your department API key (keep it secret; DeGS issues a new one if it leaks) and the 0s with real totals. curl (Linux, macOS, Git Bash), then one line of Windows PowerShell:`,
      ],
      commands: [curl, powershell, readBack],
    },
    {
      heading: 'What to send',
      paragraphs: [
        `One total per service and day (IST date YYYY-MM-DD), at most ${MAX_ITEMS_PER_REQUEST} per request. A later PUT for the same service, date and location replaces the total; the earlier value stays visible in the history.`,
        `locationCode: where the transactions happened, if you break a service's counts down by location (your own codes, e.g. district or office: letters, digits, . - _). Leave it out for one total per service and day: it defaults to "${DEFAULT_LOCATION_CODE}".`,
        `From a spreadsheet: save as "CSV UTF-8" with the header ${csvHeader} and send the file with Content-Type: text/csv (curl --data-binary @counts.csv). Problems are named by row and column.`,
        'Send an Idempotency-Key header (e.g. a UUID) so a retried request is applied once. On 429 or 503, wait the seconds in Retry-After and send the same request again.',
      ],
    },
    {
      heading: 'Test phase (SoP steps 8 to 12)',
      paragraphs: [
        'Counts you send now are stored as test counts: send real daily totals, as you will once live.',
        'Step 8 completes when your first test counts arrive; DeGS Technical then confirms the test (step 9), and the State and Central Committees approve (steps 10 to 12).',
        'Once the Central Committee approves, the same requests become live counts, sent to the national e-Taal portal. Nothing changes on your side.',
      ],
    },
    {
      heading: 'Back-fill window',
      paragraphs: [
        `Counts may be sent or corrected for the last ${BACKFILL_DAYS} days (IST); not for future dates. Send the days since your services started, then one request a day.`,
      ],
    },
    {
      heading: 'Whom to contact',
      paragraphs: contact
        ? [`${contact.name}: ${contact.emails.join(', ')}${contact.phone ? `, phone ${contact.phone}` : ''}`]
        : ['The DeGS Technical team (their contact is not configured yet; reply to this email).'],
    },
  ];
  return {
    baseUrl,
    referenceUrl,
    openApiUrl: `${baseUrl}/v1/openapi.json`,
    countsUrl,
    services,
    contact,
    sections,
  };
}
