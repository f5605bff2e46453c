/**
 * The deploy-time directory seed (decision 056): `-c directorySeed=<file>` is validated at synth time with the
 * admin routes' schemas, and becomes one `Custom::DirectorySeed` resource whose handler may only put items of
 * the `DIR` partition, conditionally. Without the parameter there is no such resource, and no function
 * carries a directory of its own.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { directory, routing } from '#config/index.ts';
import { seedEntries } from '#domain/directory-entries.ts';
import { actionsOf, allStatements, getAtt, logicalId, resourcesOf, statementsOfRole } from './iam.ts';
import { PROD_CONTEXT, scratchDir, synthesise, type Synthesised } from './synth.ts';

const dir = scratchDir('seed-');
const seedFile = join(dir, 'directory.json');
const demo = seedEntries(directory, routing);
writeFileSync(seedFile, JSON.stringify(demo));

describe('a stack deployed with a directory seed', () => {
  let prod: Synthesised;
  beforeAll(() => {
    // Runs cdk-nag: an unacknowledged finding of the custom resource would throw here.
    prod = synthesise({ ...PROD_CONTEXT, directorySeed: seedFile });
  });

  it('has one Custom::DirectorySeed resource carrying the checked file as JSON and the stack name', () => {
    const resources = Object.values(prod.template.findResources('Custom::DirectorySeed')) as { Properties: { Seed: string; StackName: unknown } }[];
    expect(resources).toHaveLength(1);
    expect(JSON.parse(resources[0]?.Properties.Seed ?? '')).toEqual(JSON.parse(JSON.stringify(demo)));
    expect(resources[0]?.Properties.StackName).toBe('ComplaintLoop-prod');
  });

  it('lets its handler put items of the DIR partition on the table — and do nothing else with any table', () => {
    const seed = prod.stack.directorySeed!;
    const role = logicalId(prod.stack, seed.handler.role);
    const statements = statementsOfRole(prod.template, role);
    const dynamo = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    expect(dynamo).toEqual([
      {
        Effect: 'Allow',
        Action: 'dynamodb:PutItem',
        Resource: getAtt(logicalId(prod.stack, prod.stack.table.table)),
        Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['DIR'] } },
      },
    ]);
    // The rest: its own log group and X-Ray, as every function.
    const others = statements.filter((s) => !dynamo.includes(s)).flatMap(actionsOf);
    expect(others.every((a) => a.startsWith('logs:') || a.startsWith('xray:'))).toBe(true);
  });

  it('gives the Provider framework an explicit role that may invoke only the seed handler', () => {
    const seed = prod.stack.directorySeed!;
    const invoke = allStatements(prod.template).filter((s) => actionsOf(s.statement).includes('lambda:InvokeFunction'));
    const handlerArn = getAtt(logicalId(prod.stack, seed.handler.fn));
    const mine = invoke.filter((s) => resourcesOf(s.statement).some((r) => JSON.stringify(r).includes(handlerArn['Fn::GetAtt'][0] as string)));
    expect(mine.length).toBeGreaterThan(0);
    for (const s of mine) {
      expect(actionsOf(s.statement)).toEqual(['lambda:InvokeFunction']);
      for (const r of resourcesOf(s.statement)) expect(JSON.stringify(r)).toContain(handlerArn['Fn::GetAtt'][0] as string);
    }
    // No managed policy anywhere on the seed's roles (AwsSolutions-IAM4).
    const roles = prod.template.findResources('AWS::IAM::Role') as Record<string, { Properties: { ManagedPolicyArns?: unknown[]; Description?: string } }>;
    const seedRoles = Object.values(roles).filter((r) => /directory-seed/.test(r.Properties.Description ?? ''));
    expect(seedRoles).toHaveLength(2);
    for (const r of seedRoles) expect(r.Properties.ManagedPolicyArns).toBeUndefined();
  });
});

describe('a stack deployed without one', () => {
  it('has no seed resource and no seed function', () => {
    const dev = synthesise();
    expect(Object.keys(dev.template.findResources('Custom::DirectorySeed'))).toEqual([]);
    expect(dev.stack.directorySeed).toBeUndefined();
  });
});

describe('an invalid seed file', () => {
  it('fails the synthesis naming the file, the entry and the field', () => {
    const bad = join(dir, 'bad.json');
    const broken = JSON.parse(JSON.stringify(demo));
    broken.staff[2].email = 'nobody';
    writeFileSync(bad, JSON.stringify(broken));
    expect(() => synthesise({ directorySeed: bad })).toThrow(/directorySeed.*bad\.json is not a valid directory[\s\S]*staff\[2\]\.email: Invalid email/);
    const inconsistent = join(dir, 'inconsistent.json');
    writeFileSync(inconsistent, JSON.stringify({ ...demo, routing: { ...demo.routing, defaultUnitId: 'nowhere' } }));
    expect(() => synthesise({ directorySeed: inconsistent })).toThrow(/routing names the unit “nowhere”/);
  });

  it('fails the synthesis on a file that is missing or not JSON', () => {
    expect(() => synthesise({ directorySeed: join(dir, 'missing.json') })).toThrow(/directorySeed": cannot read/);
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, '{ units: ');
    expect(() => synthesise({ directorySeed: notJson })).toThrow(/is not JSON/);
  });
});
