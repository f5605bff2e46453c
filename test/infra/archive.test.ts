/**
 * The archive in the stack (decision 065): a locked, versioned, private bucket; a monthly schedule in
 * Shanghai time; the archive function may write and read archive objects and nothing more on S3.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARCHIVE_OBJECT_ACTIONS } from '../../infra/constructs/archive.ts';
import { actionsOf, allStatements, getAtt, logicalId, statementsOfRole } from './iam.ts';
import { PROD_CONTEXT, synthesise, type Synthesised } from './synth.ts';

let dev: Synthesised;
let prod: Synthesised;
beforeAll(() => {
  dev = synthesise();
  prod = synthesise(PROD_CONTEXT);
}, 300_000);

const bucketId = (s: Synthesised) => logicalId(s.stack, s.stack.archive.bucket);
const archiveRole = (s: Synthesised) => {
  const fn = s.stack.functions.get('archive');
  if (!fn) throw new Error('no archive function');
  return { fn: logicalId(s.stack, fn.fn), role: logicalId(s.stack, fn.role) };
};

describe('the archive bucket', () => {
  it('locks every object in COMPLIANCE mode in prod for at least 3 years (GOVERNANCE in dev), versioned, encrypted, private', () => {
    for (const [s, mode] of [
      [prod, 'COMPLIANCE'],
      [dev, 'GOVERNANCE'],
    ] as const) {
      s.template.hasResource('AWS::S3::Bucket', {
        Properties: Match.objectLike({
          ObjectLockEnabled: true,
          ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: mode, Days: 3 * 366 } } },
          VersioningConfiguration: { Status: 'Enabled' },
          BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
          LoggingConfiguration: Match.objectLike({ DestinationBucketName: { Ref: logicalId(s.stack, s.stack.archive.logBucket) } }),
        }),
      });
    }
    expect(prod.template.toJSON().Resources[bucketId(prod)].DeletionPolicy).toBe('Retain');
  });

  it('refuses every request that is not TLS', () => {
    prod.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId(prod) },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });
});

describe('the archive function', () => {
  it('runs on the 1st of every month at 02:00 Shanghai time by EventBridge Scheduler, failed runs in the SLA dead-letter queue', () => {
    for (const s of [dev, prod]) {
      s.template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(0 2 1 * ? *)',
        ScheduleExpressionTimezone: 'Asia/Shanghai',
        Target: Match.objectLike({ Arn: getAtt(archiveRole(s).fn), DeadLetterConfig: { Arn: getAtt(logicalId(s.stack, s.stack.scheduler.deadLetterQueue)) } }),
      });
    }
  });

  it('may put and get archive objects and list the bucket — never delete, never change a retention or a legal hold', () => {
    // Prepare
    const statements = statementsOfRole(prod.template, archiveRole(prod).role);
    const s3 = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
    // Assess
    expect(s3.flatMap(actionsOf).sort()).toEqual([...ARCHIVE_OBJECT_ACTIONS, 's3:ListBucket'].sort());
    expect(JSON.stringify(s3)).toContain('/complaints/*');
    const env = prod.template.toJSON().Resources[archiveRole(prod).fn].Properties.Environment.Variables;
    expect(env).toMatchObject({ ARCHIVE_BUCKET: { Ref: bucketId(prod) }, ARCHIVE_RETENTION_YEARS: '3' });
  });

  it('is the only function with any right on the archive bucket', () => {
    // Prepare
    const role = archiveRole(prod).role;
    const others = allStatements(prod.template).filter((s) => !s.roles.includes(role) && JSON.stringify(s.statement.Resource).includes(bucketId(prod)));
    // Assess
    expect(others).toEqual([]);
  });
});
