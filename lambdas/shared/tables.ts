import { requiredVariable } from './settings';

/**
 * The DynamoDB tables, as data: CDK creates them from this list, local mode creates the same tables in
 * dynalite, and handlers find each table's name in the env var named here. Every table uses generic
 * string keys `pk`/`sk` (single-table style per concern) so later features add item types, not tables.
 * Access patterns -> keys are documented in docs/data-model.md.
 */
export interface TableSpec {
  /** Logical id, used for the CDK construct id and the local table name. */
  readonly id: string;
  /** Environment variable that carries the physical table name to handlers. */
  readonly envVar: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly globalIndexes: readonly { name: string; partitionKey: string; sortKey?: string }[];
  /** Attribute holding an epoch-seconds expiry (DynamoDB TTL in AWS; dynalite ignores it). */
  readonly ttlAttribute?: string;
  /**
   * A DynamoDB Stream of every change with the item before and after. dynalite has none: local mode feeds
   * the same consumer from its DynamoDB endpoint (local/dynamodb-streams.ts).
   */
  readonly stream?: 'NEW_AND_OLD_IMAGES';
}

export const TABLES = {
  departments: {
    id: 'Departments',
    envVar: 'DEPARTMENTS_TABLE',
    partitionKey: 'pk',
    sortKey: 'sk',
    globalIndexes: [],
  },
  onboardings: {
    id: 'Onboardings',
    envVar: 'ONBOARDINGS_TABLE',
    partitionKey: 'pk',
    sortKey: 'sk',
    globalIndexes: [{ name: 'byDepartment', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
  },
  approvals: {
    id: 'Approvals',
    envVar: 'APPROVALS_TABLE',
    partitionKey: 'pk',
    sortKey: 'sk',
    // The links of an onboarding (status view, reminders): lambdas/approvals/pending-links.ts.
    globalIndexes: [{ name: 'byOnboarding', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
    ttlAttribute: 'expiresAtEpoch',
  },
  serviceCodes: {
    id: 'ServiceCodes',
    envVar: 'SERVICE_CODES_TABLE',
    partitionKey: 'pk',
    sortKey: 'sk',
    globalIndexes: [{ name: 'byDepartment', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
  },
  counts: {
    id: 'Counts',
    envVar: 'COUNTS_TABLE',
    partitionKey: 'pk',
    sortKey: 'sk',
    globalIndexes: [{ name: 'byDate', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
    stream: 'NEW_AND_OLD_IMAGES',
  },
  aggregates: {
    id: 'Aggregates',
    envVar: 'AGGREGATES_TABLE',
    partitionKey: 'pk',
    sortKey: 'sk',
    globalIndexes: [],
  },
  config: {
    id: 'Config',
    envVar: 'CONFIG_TABLE',
    partitionKey: 'pk',
    sortKey: 'sk',
    globalIndexes: [],
  },
  connectorAttempts: {
    id: 'ConnectorAttempts',
    envVar: 'CONNECTOR_ATTEMPTS_TABLE',
    partitionKey: 'pk',
    globalIndexes: [],
    ttlAttribute: 'expiresAtEpoch',
  },
  /** Counters of the abuse limits (failed guesses per source, quotas): ../shared/windowed-counter. */
  limits: {
    id: 'Limits',
    envVar: 'LIMITS_TABLE',
    partitionKey: 'pk',
    sortKey: 'sk',
    globalIndexes: [],
    ttlAttribute: 'expiresAtEpoch',
  },
  idempotency: {
    id: 'Idempotency',
    envVar: 'IDEMPOTENCY_TABLE',
    partitionKey: 'id',
    globalIndexes: [],
    ttlAttribute: 'expiration',
  },
} as const satisfies Record<string, TableSpec>;

export type TableName = keyof typeof TABLES;

/** The physical name of a table, from the environment the Lambda (or local runtime) was given. */
export function tableName(table: TableName): string {
  return requiredVariable(TABLES[table].envVar);
}
