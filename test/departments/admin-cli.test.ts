import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../../lambdas/departments/repository';
import { close, listen, urlOf } from '../../local/net';
import { type AdminCliResult, runAdminCli } from '../support/admin-cli';
import { startDynalite, type TestDynamo } from '../support/dynamo';

/**
 * The admin CLI end to end: a child process on the same Node as the tests (the bundle of bin/admin.ts
 * test/support/global-setup.ts builds; once through tsx, as `npm run admin` runs it) against an in-process
 * dynalite, found through a runtime file shaped like the one `npm start` writes.
 */

let db: TestDynamo;
let dir: string;
let runtimeFile: string;

/** The bundled CLI, or with `fromSources` bin/admin.ts through tsx as `npm run admin` runs it. */
function admin(
  args: string[],
  env: Record<string, string> = {},
  { fromSources = false } = {},
): Promise<AdminCliResult> {
  // The child must find everything through the runtime file (or --stack), not through inherited variables.
  const childEnv: Record<string, string | undefined> = { ...process.env, ETAAL_RUNTIME_FILE: runtimeFile };
  for (const name of Object.keys(db.env)) delete childEnv[name];
  Object.assign(childEnv, env);
  return runAdminCli(args, { env: childEnv, fromSources });
}

beforeAll(async () => {
  db = await startDynalite({ tablePrefix: 'admin-cli-' });
  db.applyEnv();
  dir = mkdtempSync(join(tmpdir(), 'etaal-admin-'));
  runtimeFile = join(dir, 'runtime.json');
  writeFileSync(
    runtimeFile,
    JSON.stringify({
      region: 'ap-south-1',
      endpoints: { dynamodb: db.endpoint, sesv2: 'http://127.0.0.1:9', sfn: 'http://127.0.0.1:9' },
      tables: db.tables,
      stateMachineArn: 'arn:aws:states:ap-south-1:000000000000:stateMachine:etaal-local-onboarding',
      apiUrl: 'http://127.0.0.1:3000',
    }),
  );
});
afterAll(async () => {
  await db?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('department add', () => {
  it('prints only {departmentId, apiKey} on stdout, and the key authenticates as the new department', async () => {
    const result = await admin(
      ['department', 'add', '--code', 'REV', '--name', 'Revenue Department'],
      {},
      {
        fromSources: true,
      },
    );

    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(Object.keys(output).sort()).toEqual(['apiKey', 'departmentId']);
    expect(output.apiKey).toMatch(/^etd_/);
    expect(await authenticate(output.apiKey)).toMatchObject({
      departmentId: output.departmentId,
      code: 'REV',
      name: 'Revenue Department',
    });
  });

  it('refuses a duplicate code with exit 1 and prints nothing on stdout', async () => {
    await admin(['department', 'add', '--code', 'HEALTH', '--name', 'Health and Family Welfare']);

    const again = await admin(['department', 'add', '--code', 'HEALTH', '--name', 'Health again']);

    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain('HEALTH already exists');
  });

  it('names the invalid field and exits 2', async () => {
    const result = await admin(['department', 'add', '--code', 'rev', '--name', 'Revenue']);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^code: Use 2 to 10 uppercase letters or digits/m);
  });
});

describe('departments set-authority', () => {
  it("pins the department's competent authority, audited, and names a bad field with exit 2", async () => {
    await admin(['department', 'add', '--code', 'PINNED', '--name', 'Pinned Department']);
    const result = await admin([
      'departments',
      'set-authority',
      '--code',
      'PINNED',
      '--email',
      'Secretary@Pinned.Example',
      '--name',
      'Secretary',
    ]);

    expect(result.code, result.stderr).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.competentAuthority).toMatchObject({ email: 'secretary@pinned.example', name: 'Secretary' });
    const { QueryCommand } = await import('@aws-sdk/lib-dynamodb');
    const { Items = [] } = await db.client.send(
      new QueryCommand({
        TableName: db.tables.departments,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
        ExpressionAttributeValues: { ':pk': `DEPT#${output.departmentId}`, ':audit': 'AUDIT#' },
      }),
    );
    expect(Items).toEqual([
      expect.objectContaining({ type: 'competent-authority.pinned', email: 'secretary@pinned.example' }),
    ]);

    const unknown = await admin([
      'departments',
      'set-authority',
      '--code',
      'NOPE',
      '--email',
      'a@b.in',
      '--name',
      'X',
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^code: No department has the code NOPE/m);
  });
});

describe('bad arguments', () => {
  it.each([
    [[], 'No command given'],
    [['department', 'remove'], 'Unknown command: department remove'],
    [['department', 'add', '--code', 'X1'], '"department add" needs --name'],
    [['department', 'add', '--code', 'X1', '--name', 'X', '--email', 'a@b.in'], '--email does not apply'],
    [['contacts', 'list', '--colour'], "Unknown option '--colour'"],
    [['holidays', 'show', '--year', '26'], '--year must be a four-digit year'],
  ])('%j exits 2 with a usage message', async (args, message) => {
    const result = await admin(args);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });

  it('explains how to start the local runtime when there is none', async () => {
    const result = await admin(['contacts', 'list'], { ETAAL_RUNTIME_FILE: join(dir, 'missing.json') });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('npm start');
  });
});

describe('holidays', () => {
  it('stores a year from a file and shows it; other years show the seed or weekends only', async () => {
    const file = join(dir, 'holidays-2027.json');
    writeFileSync(
      file,
      JSON.stringify({
        year: 2027,
        timezone: 'Asia/Kolkata',
        weekend: ['Saturday', 'Sunday'],
        source: 'GNCTD notification (test)',
        holidays: [{ date: '2027-01-26', name: 'Republic Day' }],
      }),
    );

    const set = await admin(['holidays', 'set', '--year', '2027', '--file', file]);
    const shown = await admin(['holidays', 'show', '--year', '2027']);
    const seed = await admin(['holidays', 'show', '--year', '2026', '--runtime-file', runtimeFile]);
    const none = await admin(['holidays', 'show', '--year', '2040']);

    expect(set.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toEqual({
      year: 2027,
      origin: 'uploaded',
      calendar: {
        year: 2027,
        source: 'GNCTD notification (test)',
        holidays: [{ date: '2027-01-26', name: 'Republic Day' }],
      },
    });
    expect(JSON.parse(seed.stdout)).toMatchObject({ year: 2026, origin: 'seed' });
    expect(JSON.parse(none.stdout)).toEqual({ year: 2040, origin: 'weekends-only', calendar: null });
  });

  it('rejects a file for another year or with a bad date, naming the field', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({ year: 2028, source: 'x', holidays: [{ date: '2028-02-30', name: 'Nope' }] }),
    );

    const wrongYear = await admin(['holidays', 'set', '--year', '2029', '--file', file]);
    const badDate = await admin(['holidays', 'set', '--year', '2028', '--file', file]);

    expect(wrongYear.code).toBe(2);
    expect(wrongYear.stderr).toContain('year: the file is for 2028, not 2029');
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toMatch(/^holidays\[0\]\.date: /m);
  });
});

describe('contacts', () => {
  it('sets the people of a role and lists them with the roles still missing', async () => {
    const set = await admin([
      'contacts',
      'set',
      '--role',
      'degsTechnical',
      '--email',
      'tech1@degs.delhi.gov.in',
      '--email',
      'tech2@degs.delhi.gov.in',
    ]);
    const list = await admin(['contacts', 'list']);

    expect(set.code).toBe(0);
    const listed = JSON.parse(list.stdout);
    expect(listed.contacts).toEqual([
      {
        role: 'degsTechnical',
        name: 'DeGS Technical team',
        // Each address a member, named by its address until an admin names them (contacts members add).
        members: [
          { name: 'tech1@degs.delhi.gov.in', email: 'tech1@degs.delhi.gov.in' },
          { name: 'tech2@degs.delhi.gov.in', email: 'tech2@degs.delhi.gov.in' },
        ],
        emails: ['tech1@degs.delhi.gov.in', 'tech2@degs.delhi.gov.in'],
        rule: 'any',
      },
    ]);
    expect(listed.missingRoles).toContain('escalation');
    expect(listed.missingRoles).not.toContain('degsTechnical');
  });

  it('rejects an unknown role naming the field', async () => {
    const result = await admin(['contacts', 'set', '--role', 'hod', '--email', 'a@b.in']);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^role: Role must be one of/m);
  });
});

describe('--stack', () => {
  it('finds the table through the stack outputs and works on it', async () => {
    // A stand-in for CloudFormation's DescribeStacks (query protocol, XML) whose outputs name our tables.
    const requests: string[] = [];
    const cloudFormation = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        requests.push(body);
        if (body.includes('Action=GetCallerIdentity')) {
          // STS: who runs the command, recorded on the change.
          response.writeHead(200, { 'Content-Type': 'text/xml' });
          response.end(
            '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:sts::123456789012:assumed-role/Admin/ops@degs.in</Arn><UserId>AROA:ops@degs.in</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>2</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
          );
          return;
        }
        const outputs = Object.entries(db.tables)
          .map(
            ([key, name]) =>
              `<member><OutputKey>${key}TableName</OutputKey><OutputValue>${name}</OutputValue></member>`,
          )
          .join('');
        response.writeHead(200, { 'Content-Type': 'text/xml' });
        response.end(
          `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member><StackName>ETaalDelhi-dev</StackName><StackStatus>UPDATE_COMPLETE</StackStatus><CreationTime>2026-01-01T00:00:00Z</CreationTime><Outputs>${outputs}</Outputs></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></DescribeStacksResponse>`,
        );
      });
    });
    const port = await listen(cloudFormation, 0);
    try {
      const result = await admin(
        ['contacts', 'set', '--stack', 'ETaalDelhi-dev', '--role', 'escalation', '--email', 'ceo@degs.in'],
        {
          ETAAL_RUNTIME_FILE: join(dir, 'missing.json'),
          AWS_ENDPOINT_URL_CLOUDFORMATION: urlOf(port),
          AWS_ENDPOINT_URL_STS: urlOf(port),
          AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
          AWS_REGION: 'ap-south-1',
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
        },
      );

      expect(result.code).toBe(0);
      expect(requests.join()).toContain('StackName=ETaalDelhi-dev');
      const list = await admin(['contacts', 'list']);
      expect(JSON.parse(list.stdout).contacts).toContainEqual({
        role: 'escalation',
        name: 'Escalation contact',
        members: [{ name: 'ceo@degs.in', email: 'ceo@degs.in' }],
        emails: ['ceo@degs.in'],
        rule: 'any',
      });
      expect(requests.join()).toContain('Action=GetCallerIdentity');
    } finally {
      await close(cloudFormation);
    }
  });
});
