/**
 * The monthly snapshot in the stack (decision 061): a locked, versioned, private report bucket; a daily schedule at
 * 01:00 Shanghai time (the 26th closes the month, the other days catch up); the function may put and read report
 * objects and send e-mail, nothing more on S3, and no other function touches the report bucket.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPORT_OBJECT_ACTIONS } from '../../infra/constructs/report-snapshot.ts';
import { actionsOf, allStatements, getAtt, logicalId, statementsOfRole } from './iam.ts';
import { PROD_CONTEXT, synthesise, type Synthesised } from './synth.ts';

let dev: Synthesised;
let prod: Synthesised;
beforeAll(() => {
  dev = synthesise();
  prod = synthesise(PROD_CONTEXT);
}, 300_000);

const bucketId = (s: Synthesised) => logicalId(s.stack, s.stack.reports.bucket);
const snapshotFn = (s: Synthesised) => {
  const fn = s.stack.functions.get('report-snapshot');
  if (!fn) throw new Error('no report-snapshot function');
  return { fn: logicalId(s.stack, fn.fn), role: logicalId(s.stack, fn.role) };
};

describe('the report bucket', () => {
  it('locks every workbook (COMPLIANCE in prod, GOVERNANCE in dev) for the archive’s retention, versioned, encrypted, private, logged', () => {
    for (const [s, mode] of [
      [prod, 'COMPLIANCE'],
      [dev, 'GOVERNANCE'],
    ] as const) {
      s.template.hasResource('AWS::S3::Bucket', {
        Properties: Match.objectLike({
          ObjectLockEnabled: true,
          ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: mode, Days: 3 * 366 } } },
          VersioningConfiguration: { Status: 'Enabled' },
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
          LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(s.stack, s.stack.archive.logBucket) }, LogFilePrefix: 'reports/' },
        }),
      });
    }
    expect(prod.template.toJSON().Resources[bucketId(prod)].DeletionPolicy).toBe('Retain');
    prod.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId(prod) },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });
});

describe('the report snapshot function', () => {
  it('runs every day at 01:00 Shanghai time by EventBridge Scheduler, failed runs in the SLA dead-letter queue', () => {
    for (const s of [dev, prod]) {
      s.template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(0 1 * * ? *)',
        ScheduleExpressionTimezone: 'Asia/Shanghai',
        Target: Match.objectLike({ Arn: getAtt(snapshotFn(s).fn), DeadLetterConfig: { Arn: getAtt(logicalId(s.stack, s.stack.scheduler.deadLetterQueue)) } }),
      });
    }
  });

  it('may put and get report objects and list the bucket — never delete, never change a retention — and gets the bucket, table and sender', () => {
    // Prepare
    const { fn, role } = snapshotFn(prod);
    const statements = statementsOfRole(prod.template, role);
    const s3 = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
    const env = prod.template.toJSON().Resources[fn].Properties.Environment.Variables;
    // Assess
    expect(s3.flatMap(actionsOf).sort()).toEqual([...REPORT_OBJECT_ACTIONS, 's3:ListBucket'].sort());
    expect(JSON.stringify(s3)).toContain('/reports/*');
    expect(statements.flatMap(actionsOf)).toEqual(expect.arrayContaining(['ses:SendEmail', 'dynamodb:PutItem', 'dynamodb:UpdateItem']));
    expect(statements.flatMap(actionsOf)).not.toContain('dynamodb:DeleteItem');
    expect(env).toMatchObject({ REPORT_BUCKET: { Ref: bucketId(prod) }, TABLE_NAME: expect.anything() });
    expect(prod.template.toJSON().Resources[fn].Properties).toMatchObject({ Timeout: 900, MemorySize: 1024 });
  });

  it('is the only function with any right on the report bucket', () => {
    const role = snapshotFn(prod).role;
    const others = allStatements(prod.template).filter((s) => !s.roles.includes(role) && JSON.stringify(s.statement.Resource).includes(bucketId(prod)));
    expect(others).toEqual([]);
  });
});
