import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { createETaalApp, type ETaalApp, type ETaalAppOptions } from '../../lib/app';
import { REPOSITORY_ROOT } from '../../lib/paths';

/** A cdk-nag finding (or any policy-validation violation) that was not acknowledged. */
export interface Finding {
  readonly rule: string;
  readonly severity: string;
  readonly path: string;
}

export interface Synthesized extends ETaalApp {
  readonly template: Template;
  readonly outdir: string;
  /** Unacknowledged findings from the validation report. */
  readonly findings: readonly Finding[];
  /** What app.synth() threw (validation failure), if anything. */
  readonly synthError: unknown;
  readonly cleanup: () => void;
}

/** The context defaults of cdk.json: what `npm run synth` uses. */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'cdk.json'), 'utf8')).context;
}

interface ValidationReport {
  pluginReports: {
    violations: { ruleName: string; severity: string; violatingConstructs: { constructPath: string }[] }[];
  }[];
}

function readFindings(outdir: string): Finding[] {
  const file = join(outdir, 'validation-report.json');
  if (!existsSync(file)) return [];
  const report = JSON.parse(readFileSync(file, 'utf8')) as ValidationReport;
  return report.pluginReports.flatMap((plugin) =>
    plugin.violations.flatMap((v) =>
      v.violatingConstructs.map((c) => ({ rule: v.ruleName, severity: v.severity, path: c.constructPath })),
    ),
  );
}

/**
 * Synthesizes the whole app (real esbuild bundling, cdk-nag) into a temporary directory, like `cdk synth`.
 * `customize` runs before synthesis, e.g. to add a resource that should be flagged.
 */
export function synthesize(
  options: ETaalAppOptions & { customize?: (app: ETaalApp) => void } = {},
): Synthesized {
  const { customize, context, ...appOptions } = options;
  const outdir = mkdtempSync(join(tmpdir(), 'etaal-cdk-'));
  const built = createETaalApp({ ...appOptions, outdir, context: { ...cdkJsonContext(), ...context } });
  customize?.(built);
  let synthError: unknown;
  try {
    built.app.synth();
  } catch (error) {
    synthError = error;
  }
  return {
    ...built,
    // The stage's assembly is cached by app.synth(), so this does not synthesize (or bundle) again.
    template: Template.fromStack(built.stack),
    outdir,
    findings: readFindings(outdir),
    synthError,
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

export interface PolicyStatement {
  Action: string | string[];
  Resource: unknown;
  Effect: string;
}

/** Every statement of the inline policies attached to a role, by the role's logical id. */
export function roleStatements(template: Template, roleLogicalId: string): PolicyStatement[] {
  const policies = template.findResources('AWS::IAM::Policy') as Resources;
  return Object.values(policies)
    .filter((p) =>
      (p.Properties.Roles as unknown[]).some(
        (r) => JSON.stringify(r) === JSON.stringify({ Ref: roleLogicalId }),
      ),
    )
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement);
}

export function actionsOf(statement: PolicyStatement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

export function resourcesOf(statement: PolicyStatement): unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}

/** The logical ids a value refers to through Ref / Fn::GetAtt, anywhere inside it. */
export function referencedLogicalIds(value: unknown): Set<string> {
  const ids = new Set<string>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      for (const [key, inner] of Object.entries(v)) {
        if (key === 'Ref' && typeof inner === 'string' && !inner.startsWith('AWS::')) ids.add(inner);
        else if (key === 'Fn::GetAtt' && Array.isArray(inner)) ids.add(inner[0] as string);
        else visit(inner);
      }
    }
  };
  visit(value);
  return ids;
}

const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': 'ap-south-1',
  'AWS::AccountId': '123456789012',
  'AWS::URLSuffix': 'amazonaws.com',
};

/**
 * A CloudFormation value as the string it becomes on deployment to ap-south-1, account 123456789012;
 * references to resources stay symbolic (`<LogicalId>` for Ref, `<LogicalId.Attr>` for Fn::GetAtt).
 */
export function resolveValue(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string') return PSEUDO[v.Ref] ?? `<${v.Ref}>`;
  if (Array.isArray(v['Fn::GetAtt'])) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
  if (Array.isArray(v['Fn::Join'])) {
    const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(resolveValue).join(separator);
  }
  throw new Error(`Cannot resolve ${JSON.stringify(value)}`);
}
