/**
 * The monthly report snapshot (decision 061): the report bucket — Object Lock like the archive (COMPLIANCE in
 * prod, GOVERNANCE elsewhere; a closed month's workbook is a record that does not change), versioned, S3-managed
 * encryption, private, TLS only, access logged into the archive's log bucket — and the schedule of
 * `functions/report-snapshot`: every day at 01:00 Asia/Shanghai by EventBridge Scheduler. The run on the 26th
 * closes the month that ended at midnight (26th–25th) and e-mails it; the other days' runs find nothing to do
 * unless a run failed, and then make it up (catch-up). The function may put and read report objects, never
 * delete them or touch their retention.
 */
import { Duration, TimeZone, type RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectLockRetention, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeWildcard } from '../nag.ts';
import type { ComplaintFunction } from './lambda-function.ts';

export interface ReportSnapshotProps {
  lockMode: 'COMPLIANCE' | 'GOVERNANCE';
  /** Years each report object stays locked (the archive's retention, ≥ 3: seed 004). */
  retentionYears: number;
  removalPolicy: RemovalPolicy;
  /** Where the bucket's access logs go (the archive's log bucket). */
  logBucket: IBucket;
  /** Where a run the scheduler could not deliver goes. */
  deadLetterQueue: IQueue;
}

/** What the snapshot function may do with report objects: write new ones and read them back. */
export const REPORT_OBJECT_ACTIONS = ['s3:PutObject', 's3:GetObject'] as const;
/** Every day at 01:00 Shanghai: the 26th closes the month; the other days catch up a failed run. */
export const REPORT_SNAPSHOT_CRON = { minute: '0', hour: '1' } as const;

export class ReportSnapshot extends Construct {
  readonly bucket: Bucket;
  private readonly props: ReportSnapshotProps;

  constructor(scope: Construct, id: string, props: ReportSnapshotProps) {
    super(scope, id);
    this.props = props;
    const lockDays = props.retentionYears * 366;
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention:
        props.lockMode === 'COMPLIANCE' ? ObjectLockRetention.compliance(Duration.days(lockDays)) : ObjectLockRetention.governance(Duration.days(lockDays)),
      serverAccessLogsBucket: props.logBucket,
      serverAccessLogsPrefix: 'reports/',
      removalPolicy: props.removalPolicy,
    });
  }

  /** Lets the snapshot function write and read report objects (and list, so a missing key is a 404) and schedules it. */
  attach(fn: ComplaintFunction): Schedule {
    const objects = this.bucket.arnForObjects('reports/*');
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: [...REPORT_OBJECT_ACTIONS], resources: [objects] }));
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }));
    acknowledgeWildcard(
      fn.role,
      objects,
      'The snapshot function writes one workbook (and at most one oversized report) per month under reports/<period>/, named by checksum.',
    );
    fn.addEnvironment('REPORT_BUCKET', this.bucket.bucketName);
    const role = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
      description: 'complaint-loop: invokes the report snapshot function',
    });
    const schedule = new Schedule(this, 'Daily', {
      description: 'complaint-loop: closes the statistics month on the 26th (26th–25th) and e-mails the XLSX; catches up a failed run (decision 061)',
      schedule: ScheduleExpression.cron({ ...REPORT_SNAPSHOT_CRON, timeZone: TimeZone.ASIA_SHANGHAI }),
      target: new LambdaInvoke(fn.fn, { role, deadLetterQueue: this.props.deadLetterQueue, retryAttempts: 2, maxEventAge: Duration.hours(6) }),
    });
    acknowledgeWildcard(
      role,
      `${fn.fn.functionArn}:*`,
      'lambda:InvokeFunction on the report snapshot function and its versions/aliases (what grantInvoke grants); no other function.',
    );
    return schedule;
  }
}
