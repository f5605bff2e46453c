/**
 * The complaint closed-loop system in one stack: the table, staff identity, one Lambda per function
 * (`infra/functions.ts` says what each may do), the HTTP API from `ROUTES`, the SLA scheduler, the
 * escalation queue, messaging, the web form on CloudFront, and alarms.
 */
import { resolve } from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { API_FUNCTIONS, ROUTES } from '#http/routes.ts';
import type { StageConfig } from './config.ts';
import { PROJECT_ROOT } from './constructs/bundling.ts';
import { Archive } from './constructs/archive.ts';
import { ReportSnapshot } from './constructs/report-snapshot.ts';
import { CalendarWatch } from './constructs/calendar-watch.ts';
import { DirectorySeed } from './constructs/directory-seed.ts';
import { ComplaintTable } from './constructs/complaint-table.ts';
import { EscalationQueue } from './constructs/escalation-queue.ts';
import { ComplaintApi } from './constructs/http-api.ts';
import { ComplaintFunction, functionArnFor } from './constructs/lambda-function.ts';
import { Messaging, topicKey } from './constructs/messaging.ts';
import { Monitoring } from './constructs/monitoring.ts';
import { Observability } from './constructs/observability.ts';
import { OriginSecret } from './constructs/origin-secret.ts';
import { Outbox } from './constructs/outbox.ts';
import { Statistics } from './constructs/statistics.ts';
import { SlaScheduler } from './constructs/sla-scheduler.ts';
import { StaffIdentity } from './constructs/staff-identity.ts';
import { WebHosting, apiPathPatterns } from './constructs/web-hosting.ts';
import { FUNCTION_PROFILES, discoverEntries, profileOf, reservedConcurrency, type FunctionName } from './functions.ts';

export interface ComplaintStackProps extends StackProps {
  config: StageConfig;
  /** Function entries to use instead of `functions/<name>/handler.ts` (tests). */
  entries?: Partial<Record<FunctionName, string>>;
  /** The site folder; defaults to `web/` (skipped while it does not exist). */
  webDir?: string;
  /** The built staff console (default console/dist). */
  consoleDir?: string;
  /** The distribution's WAF web ACL: the edge stack's (a cross-region reference) or `-c webAclArn`. */
  webAclArn: string;
}

export class ComplaintStack extends Stack {
  readonly config: StageConfig;
  readonly table: ComplaintTable;
  readonly identity: StaffIdentity;
  readonly functions = new Map<FunctionName, ComplaintFunction>();
  readonly api: ComplaintApi;
  readonly escalations: EscalationQueue;
  readonly scheduler: SlaScheduler;
  readonly messaging: Messaging;
  readonly web: WebHosting;
  readonly monitoring: Monitoring;
  readonly observability: Observability;
  readonly originSecret: OriginSecret;
  readonly outbox: Outbox;
  readonly statistics: Statistics;
  readonly archive: Archive;
  readonly reports: ReportSnapshot;
  /** Present with `-c directorySeed`: seeds a table that holds no directory (decision 056). */
  readonly directorySeed?: DirectorySeed;

  constructor(scope: Construct, id: string, props: ComplaintStackProps) {
    super(scope, id, props);
    this.config = props.config;
    const config = props.config;
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.table = new ComplaintTable(this, 'Complaints', { retain: config.retainData, contributorInsights: config.contributorInsights });
    this.identity = new StaffIdentity(this, 'StaffIdentity', {
      retain: config.retainData,
      ...(config.jwt
        ? { jwt: config.jwt }
        : {
            // The console's hosted UI (decision 067); with a custom domain the callback is known now, else set after the distribution.
            console: {
              domainPrefix: config.consoleAuthDomainPrefix ?? `complaint-loop-${config.stage}-${this.account}`,
              ...(config.webDomain && { site: `https://${config.webDomain.domainName}` }),
            },
          }),
    });
    const key = topicKey(this, 'TopicKey', removalPolicy);
    this.monitoring = new Monitoring(this, 'Monitoring', { topicKey: key, ...(config.alarmEmail !== undefined && { alarmEmail: config.alarmEmail }) });
    this.messaging = new Messaging(this, 'Messaging', {
      topicKey: key,
      removalPolicy,
      ...(config.sesIdentity !== undefined && { sesIdentity: config.sesIdentity }),
      ...(config.mailFrom !== undefined && { mailFrom: config.mailFrom }),
      ...(config.smsOriginationIdentityArn !== undefined && { smsOriginationIdentityArn: config.smsOriginationIdentityArn }),
    });
    this.escalations = new EscalationQueue(this, 'Escalations', {
      consumerTimeout: Duration.seconds(FUNCTION_PROFILES.escalation.timeoutSeconds),
      removalPolicy,
    });
    this.scheduler = new SlaScheduler(this, 'SlaScheduler', { removalPolicy });
    this.outbox = new Outbox(this, 'Outbox', { table: this.table.table, removalPolicy });
    this.statistics = new Statistics(this, 'Statistics', { table: this.table.table, removalPolicy });
    this.originSecret = new OriginSecret(this, 'OriginSecret', {
      removalPolicy,
      ...(config.originSecretVersion !== undefined && { versionId: config.originSecretVersion }),
    });
    this.archive = new Archive(this, 'Archive', { ...config.archive, removalPolicy, deadLetterQueue: this.scheduler.deadLetterQueue });
    this.reports = new ReportSnapshot(this, 'ReportSnapshot', {
      ...config.archive,
      removalPolicy,
      logBucket: this.archive.logBucket,
      deadLetterQueue: this.scheduler.deadLetterQueue,
    });
    const reserved = reservedConcurrency(config.publicConcurrency);
    // The directory comes from the deployment, never from a file in a bundle (decision 056).
    if (config.directorySeed) {
      this.directorySeed = new DirectorySeed(this, 'DirectorySeed', {
        table: this.table.table,
        entries: config.directorySeed.entries,
        logRetention: config.logRetention,
        removalPolicy,
      });
    }

    // sla-check has a fixed name: its ARN goes into its own environment and that of every planner.
    const slaCheckName = `${this.stackName}-sla-check`;
    const entries = discoverEntries(props.entries);
    // Where failed asynchronous invocations land: scheduler/EventBridge → SLA checks, SNS → channel-sms.
    const asyncDeadLetterQueue = (name: FunctionName): IQueue | undefined =>
      name === 'sla-check' || name === 'sla-sweep' || name === 'archive' || name === 'report-snapshot'
        ? this.scheduler.deadLetterQueue
        : name === 'channel-sms'
          ? this.messaging.inboundDeadLetterQueue
          : undefined;
    for (const [name, entry] of Object.entries(entries) as [FunctionName, string][]) {
      const profile = profileOf(name);
      const deadLetterQueue = asyncDeadLetterQueue(name);
      const fn = new ComplaintFunction(this, `Fn-${name}`, {
        name,
        entry,
        table: this.table.table,
        tableAccess: profile.table,
        logRetention: config.logRetention,
        removalPolicy,
        environment: { STAGE: config.stage },
        ...(profile.timeoutSeconds !== undefined && { timeout: Duration.seconds(profile.timeoutSeconds) }),
        ...(profile.memoryMb !== undefined && { memorySize: profile.memoryMb }),
        ...(name === 'sla-check' && { functionName: slaCheckName }),
        ...(deadLetterQueue && { deadLetterQueue }),
        ...(reserved[name] !== undefined && { reservedConcurrentExecutions: reserved[name] }),
      });
      this.functions.set(name, fn);
    }

    const slaCheck = this.functions.get('sla-check');
    if (slaCheck) this.scheduler.setTarget(slaCheck, functionArnFor(this, slaCheckName));
    for (const [name, fn] of this.functions) {
      const profile = profileOf(name);
      // Without sla-check there is nothing to schedule: planners get no scheduler rights until it exists.
      if (profile.schedules && slaCheck) this.scheduler.grantScheduling(fn);
      if (profile.escalates) {
        this.escalations.grantSend(fn.role);
        fn.addEnvironment('ESCALATION_QUEUE_URL', this.escalations.queue.queueUrl);
      }
      if (profile.sendsEmail) this.messaging.grantSendEmail(fn);
      if (profile.sendsSms) this.messaging.grantSendSms(fn);
      if (profile.verifiesWebhooks) this.messaging.grantWebhookSecret(fn);
      if (profile.noticeKeys) this.messaging.grantNoticeSecret(fn);
      if (profile.archives) this.archive.attach(fn);
      if (profile.reports) this.reports.attach(fn);
      // Every function behind an HTTP route refuses requests that bypassed CloudFront (decision 039).
      if ((API_FUNCTIONS as readonly string[]).includes(name)) this.originSecret.grantCheck(fn);
    }
    const escalation = this.functions.get('escalation');
    if (escalation) this.escalations.attachConsumer(escalation.fn);
    const dispatcher = this.functions.get('outbox-dispatcher');
    if (dispatcher) this.outbox.attachDispatcher(dispatcher.fn);
    const aggregator = this.functions.get('stats-aggregator');
    if (aggregator) this.statistics.attachAggregator(aggregator.fn);
    const sweep = this.functions.get('sla-sweep');
    if (sweep) this.scheduler.scheduleSweep(sweep.fn);
    const calendarWatch = this.functions.get('calendar-watch');
    if (calendarWatch) {
      new CalendarWatch(this, 'CalendarWatch', { fn: calendarWatch.fn, deadLetterQueue: this.scheduler.deadLetterQueue, alarmAction: this.monitoring.action });
      if (config.calendarAdminEmails.length > 0) calendarWatch.fn.addEnvironment('CALENDAR_ADMIN_EMAILS', config.calendarAdminEmails.join(','));
    }
    const channelSms = this.functions.get('channel-sms');
    if (channelSms) this.messaging.subscribeInboundSms(channelSms);

    const lambdas = new Map<string, IFunction>([...this.functions].map(([name, fn]) => [name, fn.fn]));
    this.api = new ComplaintApi(this, 'HttpApi', {
      routes: ROUTES,
      functions: lambdas,
      jwt: { issuer: this.identity.issuer, audience: this.identity.audience },
      stageThrottle: config.stageThrottle,
      publicThrottle: config.publicThrottle,
      logRetention: config.logRetention,
      removalPolicy,
    });

    this.web = new WebHosting(this, 'Web', {
      apiDomainName: this.api.domainName,
      apiPathPatterns: apiPathPatterns(ROUTES.map((r) => r.path)),
      // web/ is written by another engineer; until it exists the hosting is created empty (no deployment).
      webDir: props.webDir ?? resolve(PROJECT_ROOT, 'web'),
      // Built by `npm run console:build` (npm run synth builds it first).
      consoleDir: props.consoleDir ?? resolve(PROJECT_ROOT, 'console/dist'),
      // The hosted UI and the console's app client (decision 067): config.json and the CSP's connect-src.
      ...(this.identity.consoleHost &&
        this.identity.consoleClient && { consoleSignIn: { cognitoDomain: this.identity.consoleHost, clientId: this.identity.consoleClient.userPoolClientId } }),
      retain: config.retainData,
      logRetention: config.logRetention,
      ...(config.webDomain && { domain: config.webDomain }),
      webAclArn: props.webAclArn,
      originHeader: { name: this.originSecret.headerName, value: this.originSecret.headerValue },
    });

    // After the distribution exists: the console's callback URL is its URL (decision 067).
    this.identity.connectConsole(this.web.url);

    this.monitoring.watchDeadLetterQueue('EscalationDlq', this.escalations.deadLetterQueue, 'Escalations that failed 5 times');
    this.monitoring.watchDeadLetterQueue('SlaDlq', this.scheduler.deadLetterQueue, 'SLA checks that did not run');
    this.monitoring.watchDeadLetterQueue('InboundDlq', this.messaging.inboundDeadLetterQueue, 'Inbound SMS that could not be taken');
    this.monitoring.watchDeadLetterQueue(
      'OutboxDlq',
      this.outbox.deadLetterQueue,
      'Stream batches of owed side effects the dispatcher gave up on (the sweep re-drives them)',
    );
    this.monitoring.watchDeadLetterQueue(
      'StatsDlq',
      this.statistics.deadLetterQueue,
      'Stream batches the statistics aggregator gave up on (their counts are missing until replayed)',
    );
    this.monitoring.alarm('Api5xx', this.api.api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }), 'HTTP API answered 5xx');
    this.monitoring.alarm(
      'ScheduleTargetErrors',
      this.scheduler.group.metricTargetErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      'SLA schedules failed to invoke sla-check',
    );
    this.monitoring.alarm(
      'ScheduleDropped',
      this.scheduler.group.metricDropped({ period: Duration.minutes(5), statistic: 'Sum' }),
      'SLA schedule invocations were dropped',
    );
    for (const [name, fn] of this.functions) this.monitoring.watchFunction(name, fn.fn);
    this.observability = new Observability(this, 'Observability', {
      monitoring: this.monitoring,
      api: this.api.api,
      functions: lambdas,
      deadLetterQueues: {
        escalations: this.escalations.deadLetterQueue,
        'sla checks': this.scheduler.deadLetterQueue,
        'inbound sms': this.messaging.inboundDeadLetterQueue,
      },
      breachSpikeThreshold: config.breachSpikeThreshold,
    });

    const output = (id: string, value: string, description: string) => new CfnOutput(this, id, { value, description });
    output('ApiUrl', this.api.url, 'HTTP API endpoint; it refuses requests that do not come through the web URL (CloudFront)');
    output('WebUrl', this.web.url, 'Web form (CloudFront)');
    output('TableName', this.table.table.tableName, 'DynamoDB table');
    output('JwtIssuer', this.identity.issuer, 'Issuer of staff tokens');
    if (this.identity.userPool && this.identity.client) {
      output('UserPoolId', this.identity.userPool.userPoolId, 'Cognito user pool of staff');
      output('UserPoolClientId', this.identity.client.userPoolClientId, 'Cognito app client (audience of staff tokens)');
      if (this.identity.consoleClient && this.identity.consoleHost) {
        output('ConsoleClientId', this.identity.consoleClient.userPoolClientId, 'Cognito app client of the staff console (hosted UI, code + PKCE)');
        output('ConsoleSignInDomain', this.identity.consoleHost, 'Cognito hosted UI of the staff console');
      }
    }
    output('EscalationQueueUrl', this.escalations.queue.queueUrl, 'Escalation queue');
    output('EscalationDlqUrl', this.escalations.deadLetterQueue.queueUrl, 'Escalation dead-letter queue');
    output('OutboxDlqUrl', this.outbox.deadLetterQueue.queueUrl, 'Stream batches the outbox dispatcher gave up on');
    output('StatsDlqUrl', this.statistics.deadLetterQueue.queueUrl, 'Stream batches the statistics aggregator gave up on');
    output('SlaDlqUrl', this.scheduler.deadLetterQueue.queueUrl, 'SLA checks that did not run');
    output('InboundSmsTopicArn', this.messaging.inboundSmsTopic.topicArn, 'Set as the two-way SMS destination of the phone number');
    output('InboundDlqUrl', this.messaging.inboundDeadLetterQueue.queueUrl, 'Inbound SMS that could not be taken');
    output('WebhookSecretArn', this.messaging.webhookSecret.secretArn, 'HMAC secret shared with SMS/IVR integrators');
    output('ScheduleGroupName', this.scheduler.group.scheduleGroupName, 'EventBridge Scheduler group of SLA schedules');
    output('ArchiveBucketName', this.archive.bucket.bucketName, 'The archive (Object Lock): each year’s ended cases as JSON Lines, and a manifest per year');
    output('AlarmTopicArn', this.monitoring.topic.topicArn, 'Alarm notifications');
    output(
      'DashboardName',
      this.observability.dashboard.dashboardName,
      'CloudWatch dashboard of intake, breaches, escalations, SMS, outbox age, API and Lambda health',
    );
  }
}
