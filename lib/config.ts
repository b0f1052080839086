import type { IConstruct } from 'constructs';
import * as z from 'zod';

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
    /** Escalations of one SoP step before the onboarding is flagged STALLED for an administrator. */
    escalationLimit: z.coerce.number().int().min(1).max(10),
  })
  .refine((c) => c.senderAddress.toLowerCase().endsWith(`@${c.sesIdentityDomain}`), {
    path: ['senderAddress'],
    message: 'must be an address at sesIdentityDomain, the domain SES sends from',
  });

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
