import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RouteSpec } from '../lambdas/functions';

/**
 * The REST API's resource policy. Every route stays open to the caller its handler authenticates (API
 * keys, approval links, NIC's credentials), so the policy allows everyone, except on the IAM-authorised
 * admin routes: there it denies every principal but the admin role. A user or role of the account that IAM
 * lets invoke `execute-api:*` (a developer, a CI role) still gets 403 on the reports.
 */
export function adminRoutesPolicy(
  adminRoutes: readonly RouteSpec[],
  adminRoleArn: string,
): PolicyStatement[] {
  const statements = [
    new PolicyStatement({
      sid: 'RoutesAuthenticateTheirCallers',
      effect: Effect.ALLOW,
      principals: [new AnyPrincipal()],
      actions: ['execute-api:Invoke'],
      resources: ['execute-api:/*'],
    }),
  ];
  if (adminRoutes.length > 0) {
    statements.push(
      new PolicyStatement({
        sid: 'OnlyTheAdminRoleOnAdminRoutes',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['execute-api:Invoke'],
        resources: adminRoutes.map(
          (route) => `execute-api:/*/${route.method}${route.path.replace(/\{[^}]+\}/g, '*')}`,
        ),
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': adminRoleArn } },
      }),
    );
  }
  return statements;
}
