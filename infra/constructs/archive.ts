/**
 * The archive (档案, decision 065): an S3 bucket with Object Lock — COMPLIANCE in prod (nobody, root
 * included, can delete or shorten a locked version: seed 004's minimum is a legal record, not a
 * preference), GOVERNANCE elsewhere (a test stack can be torn down by a principal allowed to bypass
 * it) — for at least the configured retention; versioned, S3-managed encryption, public access
 * blocked, TLS only, access logged. The `archive` function runs monthly on the 1st at 02:00
 * Asia/Shanghai by EventBridge Scheduler: the February run exports the year just ended (seed 000 §八:
 * by the end of February), the others retry and minimise. The function may put and read objects,
 * never delete them or touch their retention.
 */
import { Duration, TimeZone, type RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectLockRetention, ObjectOwnership, StorageClass } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeWildcard } from '../nag.ts';
import type { ComplaintFunction } from './lambda-function.ts';

export interface ArchiveProps {
  lockMode: 'COMPLIANCE' | 'GOVERNANCE';
  /** Years a case is kept after it ended (≥ 3, seed 004); each archive object is locked at least this long. */
  retentionYears: number;
  removalPolicy: RemovalPolicy;
  /** Where a run the scheduler could not deliver goes. */
  deadLetterQueue: IQueue;
}

/** The actions the archive function has on the bucket: write new objects and read them back, nothing else. */
export const ARCHIVE_OBJECT_ACTIONS = ['s3:PutObject', 's3:GetObject'] as const;

export class Archive extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  private readonly props: ArchiveProps;

  constructor(scope: Construct, id: string, props: ArchiveProps) {
    super(scope, id);
    this.props = props;
    this.logBucket = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      removalPolicy: props.removalPolicy,
    });
    acknowledge(this.logBucket, 'AwsSolutions-S1', 'This bucket receives the access logs of the archive bucket; logging it into itself would loop.');
    // A locked version must outlive the case's retention: locked from the write (in February after the
    // year the case ended), 366 days a year, so at least `retentionYears` after the end.
    const lockDays = props.retentionYears * 366;
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention:
        props.lockMode === 'COMPLIANCE' ? ObjectLockRetention.compliance(Duration.days(lockDays)) : ObjectLockRetention.governance(Duration.days(lockDays)),
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'archive/',
      // Read rarely (audits, disputes): Glacier Instant Retrieval after 90 days keeps the cost down.
      lifecycleRules: [{ id: 'cold', transitions: [{ storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(90) }] }],
      removalPolicy: props.removalPolicy,
    });
  }

  /**
   * Lets the archive function write and read objects (and list the bucket, so that a missing key is
   * a 404, not a 403), and schedules it. No DeleteObject, no retention or legal-hold change.
   */
  attach(fn: ComplaintFunction): Schedule {
    const objects = this.bucket.arnForObjects('complaints/*');
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: [...ARCHIVE_OBJECT_ACTIONS], resources: [objects] }));
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }));
    acknowledgeWildcard(
      fn.role,
      objects,
      'The archive function writes one object per part and year under complaints/; object names are content checksums, unknown in advance.',
    );
    fn.addEnvironment('ARCHIVE_BUCKET', this.bucket.bucketName);
    fn.addEnvironment('ARCHIVE_RETENTION_YEARS', String(this.props.retentionYears));
    // Its own role (only the scheduler may assume it), instead of the stack-wide singleton the target would create.
    const role = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
      description: 'complaint-loop: invokes the archive function',
    });
    const schedule = new Schedule(this, 'Monthly', {
      description: 'complaint-loop: yearly archive export (February) and minimisation after the retention (decision 065)',
      schedule: ScheduleExpression.cron({ minute: '0', hour: '2', day: '1', timeZone: TimeZone.ASIA_SHANGHAI }),
      target: new LambdaInvoke(fn.fn, { role, deadLetterQueue: this.props.deadLetterQueue, retryAttempts: 2, maxEventAge: Duration.hours(12) }),
    });
    acknowledgeWildcard(
      role,
      `${fn.fn.functionArn}:*`,
      'lambda:InvokeFunction on the archive function and its versions/aliases (what grantInvoke grants); no other function.',
    );
    return schedule;
  }
}
