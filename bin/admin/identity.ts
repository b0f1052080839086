import { hostname, userInfo } from 'node:os';
import type { Actor } from '../../lambdas/core/workflow';

/**
 * Who runs the admin CLI, recorded as `by` on every change it makes: with `--stack`, the AWS caller
 * identity (STS GetCallerIdentity: the role session or user ARN, whose session name is often the
 * person's e-mail with SSO); locally, the OS user. ETAAL_ADMIN_EMAIL may add an e-mail where the identity
 * carries none.
 */
export interface AdminIdentity extends Actor {
  readonly source: 'aws' | 'os';
  /** The caller's ARN, with --stack. */
  readonly arn?: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The person behind an AWS caller ARN: an assumed role's session name, or an IAM user's name. */
export function identityFromArn(arn: string, email?: string): AdminIdentity {
  const resource = arn.split(':').slice(5).join(':');
  const parts = resource.split('/');
  const name = (parts[0] === 'assumed-role' ? parts[2] : parts.at(-1)) || arn;
  const found = email ?? (EMAIL.test(name) ? name : '');
  return { name, email: found, source: 'aws', arn };
}

export function identityFromOs(user: string, host: string, email?: string): AdminIdentity {
  return { name: `${user}@${host}`, email: email ?? '', source: 'os' };
}

export async function adminIdentity(stack: string | undefined): Promise<AdminIdentity> {
  const email = process.env.ETAAL_ADMIN_EMAIL?.trim() || undefined;
  if (stack === undefined) return identityFromOs(userInfo().username, hostname(), email);
  const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  const client = new STSClient({});
  try {
    const { Arn } = await client.send(new GetCallerIdentityCommand({}));
    if (!Arn) throw new Error('STS returned no caller identity');
    return identityFromArn(Arn, email);
  } finally {
    client.destroy();
  }
}

/** The `by` of an audit entry or decision: the person, and with --stack the ARN that identified them. */
export function actorOf(identity: AdminIdentity): Actor {
  return { name: identity.arn ? `${identity.name} (${identity.arn})` : identity.name, email: identity.email };
}
