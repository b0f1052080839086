import type { IConstruct } from 'constructs';
import * as z from 'zod';
import { HOD_SIGNATURE_POLICIES } from '../lambdas/signatures/policy';

/**
 * Deployment parameters, read from CDK context (`cdk.json` holds the defaults; override one with
 * `cdk synth -c etaal:stage=prod`). A bad value fails synthesis with the key named, before anything is built.
 */
const hostname = z
  .string()
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'must be a lower-case DNS name',
  );

export const deploymentConfigSchema = z
  .object({
    /** Deployment name (dev, test, prod…): prefixes the stage and stack names and the API stage path. */
    stage: z
      .string()
      .regex(/^[a-z][a-z0-9]{0,11}$/, 'must be 1-12 lower-case letters or digits, starting with a letter'),
    /** The From address of every email; it must belong to `sesIdentityDomain`. */
    senderAddress: z.email(),
    /** Domain verified in SES (DKIM records are stack outputs for the DNS operator). */
    sesIdentityDomain: hostname,
    /** Custom domain for the API (an ACM certificate is requested, DNS-validated); empty: the execute-api URL. */
    apiDomain: z.union([z.literal(''), hostname]),
    /**
     * Optional Route 53 hosted zone of `apiDomain` (its id and name): the certificate is then validated and
     * the domain's alias record created by the stack. Without it the deploy waits until the validation
     * CNAME that ACM shows is published, and `apiDomainTarget` is output for the domain's CNAME.
     */
    apiHostedZoneId: z
      .union([z.literal(''), z.string().regex(/^Z[A-Z0-9]{1,32}$/, 'must be a Route 53 zone id')])
      .default(''),
    apiHostedZoneName: z.union([z.literal(''), hostname]).default(''),
    /** Escalations of one SoP step before the onboarding is flagged STALLED for an administrator. */
    escalationLimit: z.coerce.number().int().min(1).max(10),
    /** Step 3: `required` (only a verified signed PDF approves), `optional` or `off`; see docs/signatures.md. */
    hodSignature: z.enum(HOD_SIGNATURE_POLICIES).default('required'),
    /**
     * Lets NIC's poller send UserName/Password as GET query parameters (a "URL-based" connector). Off by
     * default: URLs end up in histories and tools that bodies and headers do not (docs/counts-api.md).
     */
    connectorUrlCredentials: z
      .union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])
      .default(false),
    /**
     * Opt-in: the stack creates the SES identity of `sesIdentityDomain` (and outputs its DKIM records).
     * Default false: the identity already exists in the account and region and is imported by name.
     */
    createSesIdentity: z
      .union([z.boolean(), z.enum(['true', 'false'])])
      .optional()
      .transform((v) => v === true || v === 'true'),
    /**
     * Who receives every alarm's ALARM and OK (SNS e-mail subscriptions, confirmed from the first mail):
     * a JSON array or a comma-separated list; empty by default.
     */
    alarmEmails: z
      .union([z.array(z.string()), z.string()])
      .optional()
      .transform((v) =>
        (typeof v === 'string' ? v.split(',') : (v ?? [])).map((e) => e.trim()).filter((e) => e !== ''),
      )
      .pipe(z.array(z.email())),
    /**
     * Addresses NIC's poller calls the connector from (CIDRs; `-c` takes them comma-separated). Empty: the
     * connector answers any address, within its per-IP rate limit.
     */
    connectorAllowedCidrs: z.preprocess(
      (value) => (typeof value === 'string' ? value.split(',').filter((s) => s.trim() !== '') : value),
      z.array(z.union([z.cidrv4(), z.cidrv6()], 'must be a CIDR, e.g. 164.100.0.0/16')).default([]),
    ),
    /**
     * The IAM role allowed to call the admin report routes. Empty: the stack creates one (output
     * `adminRoleArn`); any other principal gets 403 from the API's resource policy.
     */
    adminRoleArn: z
      .union([
        z.literal(''),
        z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'must be an IAM role ARN'),
      ])
      .default(''),
  })
  .refine((c) => c.senderAddress.toLowerCase().endsWith(`@${c.sesIdentityDomain}`), {
    path: ['senderAddress'],
    message: 'must be an address at sesIdentityDomain, the domain SES sends from',
  })
  .refine(
    (c) =>
      (c.apiHostedZoneId === '') === (c.apiHostedZoneName === '') &&
      (c.apiHostedZoneId === '' ||
        (c.apiDomain !== '' &&
          (c.apiDomain === c.apiHostedZoneName || c.apiDomain.endsWith(`.${c.apiHostedZoneName}`)))),
    {
      path: ['apiHostedZoneId'],
      message: 'needs apiHostedZoneName too, and apiDomain inside that zone',
    },
  );

export type DeploymentConfig = z.infer<typeof deploymentConfigSchema>;

/** The context key of each parameter, e.g. `etaal:stage`. */
export const CONTEXT_PREFIX = 'etaal:';

export function parseDeploymentConfig(raw: Record<string, unknown>): DeploymentConfig {
  const result = deploymentConfigSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${CONTEXT_PREFIX}${issue.path.join('.') || '(config)'}: ${issue.message}`,
    );
    throw new Error(`Invalid CDK context:\n  ${problems.join('\n  ')}`);
  }
  return result.data;
}

/** Reads every parameter from the construct tree's context (cdk.json, then `-c` overrides). */
export function loadDeploymentConfig(scope: IConstruct): DeploymentConfig {
  const keys = Object.keys(deploymentConfigSchema.shape) as (keyof DeploymentConfig)[];
  const raw = Object.fromEntries(
    keys.map((key) => [key, scope.node.tryGetContext(`${CONTEXT_PREFIX}${key}`)]),
  );
  return parseDeploymentConfig(raw);
}
