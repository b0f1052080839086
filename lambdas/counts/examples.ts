/**
 * The count API's examples, shown in the API reference and sent as they are by the contract tests
 * (test/contract/*): one set of fixtures, so an example in the reference is a request that really works.
 * Dates are relative ("yesterday" in IST) because the back-fill window moves every day.
 */

/** Service codes of the examples: the contract tests register them for their department. */
export const EXAMPLE_SERVICE_CODES = { live: 'DL-HLTH-0001', testing: 'DL-HLTH-0002' } as const;

export function countsExamples(yesterday: string) {
  const { live, testing } = EXAMPLE_SERVICE_CODES;
  const push = {
    counts: [
      { serviceCode: live, date: yesterday, count: 250 },
      { serviceCode: live, date: yesterday, count: 12, locationCode: 'EAST' },
      { serviceCode: testing, date: yesterday, count: 3 },
    ],
  };
  // What Excel writes for "CSV UTF-8": a byte order mark and CRLF line ends.
  const csv = `\uFEFFserviceCode,date,count,locationCode\r\n${live},${yesterday},250,\r\n${live},${yesterday},12,EAST\r\n${testing},${yesterday},3,\r\n`;
  const pushResult = { accepted: 3, written: 3, test: 1, live: 2 };
  const updatedAt = `${yesterday}T18:30:00.000Z`;
  const page = {
    counts: [
      {
        serviceCode: live,
        date: yesterday,
        locationCode: '0',
        count: 250,
        phase: 'live',
        updatedAt,
        previousCount: null,
        previousUpdatedAt: null,
        history: [],
      },
      {
        serviceCode: live,
        date: yesterday,
        locationCode: 'EAST',
        count: 12,
        phase: 'live',
        updatedAt,
        previousCount: null,
        previousUpdatedAt: null,
        history: [],
      },
    ],
  };
  return { push, csv, pushResult, page };
}
