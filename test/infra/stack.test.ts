/**
 * The stack as synthesised for dev and prod: what the SPEC and the single-table design need is there,
 * and every grant is the smallest that works. One synthesis per stage, shared by all tests.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE } from '#store/table.ts';
import { API_FUNCTIONS, ROUTES, routeKey } from '#http/routes.ts';
import { ROLES } from '#domain/model.ts';
import type { ComplaintStack } from '../../infra/complaint-stack.ts';
import { PROJECT_ROOT } from '../../infra/constructs/bundling.ts';
import { TABLE_READ_ACTIONS, TABLE_WRITE_ACTIONS, WILDCARD_RESOURCE_ACTIONS } from '../../infra/constructs/lambda-function.ts';
import { SCHEDULE_ACTIONS } from '../../infra/constructs/sla-scheduler.ts';
import { STATS_RETRY_ATTEMPTS } from '../../infra/constructs/statistics.ts';
import { OUTBOX_RETRY_ATTEMPTS } from '../../infra/constructs/outbox.ts';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { ACCOUNT_CONCURRENCY, MIN_UNRESERVED_CONCURRENCY, stageConfig } from '../../infra/config.ts';
import { OriginSecret } from '../../infra/constructs/origin-secret.ts';
import { CONSOLE_CLIENT, StaffIdentity } from '../../infra/constructs/staff-identity.ts';
import { CONSOLE_FALLBACK_CODE } from '../../infra/constructs/web-hosting.ts';
import { CLIENT_RATE_RULES, FLOOD_LIMIT_PER_WINDOW, RATE_WINDOW_SECONDS } from '../../infra/constructs/edge-firewall.ts';
import { BACKGROUND_FUNCTIONS, PUBLIC_FUNCTIONS, profileOf, reservedConcurrency, type FunctionName } from '../../infra/functions.ts';
import { PUBLIC_THROTTLE } from '#http/routes.ts';
import { ORIGIN_HEADER } from '#http/origin.ts';
import { actionsOf, allStatements, getAtt, granting, logicalId, resourcesOf, statementsOfRole } from './iam.ts';
import { PROD_CONTEXT, synthesise, type Synthesised } from './synth.ts';

const WEB_FIXTURE = resolve(PROJECT_ROOT, 'test/infra/fixtures/web');
const CONSOLE_FIXTURE = resolve(PROJECT_ROOT, 'test/infra/fixtures/console');
const COGNITO_PREFIX = 'complaint-loop-prod';
const COGNITO_DOMAIN = `${COGNITO_PREFIX}.auth.${PROD_CONTEXT.region}.amazoncognito.com`;

let dev: Synthesised;
let prod: Synthesised;

// Two stacks per stage are synthesised with cdk-nag; on a loaded machine that takes minutes.
beforeAll(() => {
  dev = synthesise({}, { webDir: WEB_FIXTURE, consoleDir: CONSOLE_FIXTURE });
  prod = synthesise({ ...PROD_CONTEXT, consoleAuthDomainPrefix: COGNITO_PREFIX }, { webDir: WEB_FIXTURE, consoleDir: CONSOLE_FIXTURE });
}, 300_000);

const ALL_FUNCTIONS: FunctionName[] = [...new Set<FunctionName>([...API_FUNCTIONS, ...BACKGROUND_FUNCTIONS])];

function fnIds(stack: ComplaintStack, name: FunctionName) {
  const fn = stack.functions.get(name);
  if (!fn) throw new Error(`function ${name} not in the stack`);
  return { fn: logicalId(stack, fn.fn), role: logicalId(stack, fn.role), logGroup: logicalId(stack, fn.logGroup) };
}

const tableId = (stack: ComplaintStack) => logicalId(stack, stack.table.table);

describe('the table, built from TABLE', () => {
  it('has the partition and sort key of TABLE, on-demand, with TTL on TABLE.timeToLiveAttribute', () => {
    dev.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: TABLE.timeToLiveAttribute, Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('has every GSI of TABLE with its keys and projection, and nothing else', () => {
    const expected = TABLE.indexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection:
        index.projection.type === 'INCLUDE'
          ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection.nonKeyAttributes] }
          : { ProjectionType: index.projection.type },
    }));
    dev.template.hasResourceProperties('AWS::DynamoDB::Table', { GlobalSecondaryIndexes: expected });
    const keys = [TABLE.partitionKey, TABLE.sortKey, ...TABLE.indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
    dev.template.hasResourceProperties('AWS::DynamoDB::Table', {
      AttributeDefinitions: Match.arrayEquals(keys.map((AttributeName) => ({ AttributeName, AttributeType: 'S' }))),
    });
  });

  it('is deletion-protected and retained in prod only', () => {
    prod.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
    dev.template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ DeletionProtectionEnabled: false }) });
  });
});

describe('functions', () => {
  it('builds one Lambda per API function and per background function with a handler', () => {
    expect([...dev.stack.functions.keys()].sort()).toEqual([...ALL_FUNCTIONS].sort());
  });

  it.each(ALL_FUNCTIONS)('%s runs nodejs22.x on ARM64 with X-Ray, source maps, the table name and its own log group', (name) => {
    for (const { stack, template } of [dev, prod]) {
      const ids = fnIds(stack, name);
      const fn = template.toJSON().Resources[ids.fn] as { Properties: Record<string, unknown> };
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        Role: getAtt(ids.role),
        LoggingConfig: { LogGroup: { Ref: ids.logGroup } },
      });
      const vars = (fn.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables;
      expect(vars['TABLE_NAME']).toEqual({ Ref: tableId(stack) });
      expect(vars['NODE_OPTIONS']).toBe('--enable-source-maps');
      expect(template.toJSON().Resources[ids.logGroup].Properties.RetentionInDays).toBe(stack === prod.stack ? 365 : 14);
    }
  });

  it('gives sla-check a fixed name, because its ARN is in its own and the planners’ environment', () => {
    const slaCheck = dev.stack.functions.get('sla-check');
    expect((slaCheck?.fn.node.defaultChild as CfnFunction | undefined)?.functionName).toBe('ComplaintLoop-dev-sla-check');
  });
});

describe('HTTP API from ROUTES', () => {
  const routeOf = (template: Template, spec: (typeof ROUTES)[number]) => {
    const found = template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: routeKey(spec) } });
    const entries = Object.values(found) as { Properties: Record<string, unknown> }[];
    expect(entries, routeKey(spec)).toHaveLength(1);
    return entries[0]!.Properties;
  };

  it('has exactly one route per entry of ROUTES', () => {
    dev.template.resourceCountIs('AWS::ApiGatewayV2::Route', ROUTES.length);
  });

  it.each(ROUTES.map((r) => [routeKey(r), r] as const))('%s has the authorizer only if it is a staff route', (_key, spec) => {
    const authorizer = Object.keys(dev.template.findResources('AWS::ApiGatewayV2::Authorizer'));
    expect(authorizer).toHaveLength(1);
    const route = routeOf(dev.template, spec);
    if (spec.auth === 'staff') {
      expect(route).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizer[0] } });
    } else {
      expect(route['AuthorizationType'] ?? 'NONE').toBe('NONE');
      expect(route['AuthorizerId']).toBeUndefined();
    }
  });

  it.each(ROUTES.map((r) => [routeKey(r), r] as const))('%s invokes the function its spec names', (_key, spec) => {
    const route = routeOf(dev.template, spec);
    const target = route['Target'] as { 'Fn::Join': [string, [string, { Ref: string }]] };
    const integrationId = target['Fn::Join'][1][1].Ref;
    const integration = dev.template.toJSON().Resources[integrationId] as { Properties: { IntegrationUri: unknown; PayloadFormatVersion: string } };
    expect(integration.Properties.IntegrationUri).toEqual(getAtt(fnIds(dev.stack, spec.function).fn));
    expect(integration.Properties.PayloadFormatVersion).toBe('2.0');
  });

  it('throttles the stage by default and each public route by its own limit, and logs every request', () => {
    const routeSettings = Object.fromEntries(
      ROUTES.filter((r) => r.auth === 'public').map((r) => [
        routeKey(r),
        r.throttle
          ? { ThrottlingRateLimit: r.throttle.routeRate, ThrottlingBurstLimit: r.throttle.routeBurst }
          : { ThrottlingRateLimit: prod.stack.config.publicThrottle.rateLimit, ThrottlingBurstLimit: prod.stack.config.publicThrottle.burstLimit },
      ]),
    );
    prod.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingRateLimit: prod.stack.config.stageThrottle.rateLimit,
        ThrottlingBurstLimit: prod.stack.config.stageThrottle.burstLimit,
      },
      RouteSettings: routeSettings,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('\\$context\\.requestId') },
    });
  });

  it('verifies staff tokens against the stack’s Cognito user pool and app client', () => {
    const pool = logicalId(dev.stack, dev.stack.identity.userPool!);
    const client = logicalId(dev.stack, dev.stack.identity.client!);
    dev.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: client }, { Ref: logicalId(dev.stack, dev.stack.identity.consoleClient!) }],
        Issuer: { 'Fn::Join': ['', Match.arrayWith([{ Ref: pool }])] },
      },
    });
  });
});

describe('staff identity (Cognito)', () => {
  it('has one group per role, admin-created users only, MFA, a strong password policy and threat protection', () => {
    for (const role of ROLES) dev.template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: role });
    dev.template.resourceCountIs('AWS::Cognito::UserPoolGroup', ROLES.length);
    dev.template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      Policies: { PasswordPolicy: { MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true } },
      UserPoolTier: 'PLUS',
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'unitId', AttributeDataType: 'String' }),
        Match.objectLike({ Name: 'staffId', AttributeDataType: 'String' }),
      ]),
    });
    prod.template.hasResourceProperties('AWS::Cognito::UserPool', { DeletionProtection: 'ACTIVE' });
  });

  it('does not let a user write their own unit or staff id, through any client', () => {
    const clients = Object.values(dev.template.findResources('AWS::Cognito::UserPoolClient')) as {
      Properties: { WriteAttributes: string[]; GenerateSecret: boolean };
    }[];
    expect(clients).toHaveLength(2);
    for (const client of clients) {
      expect(client.Properties.WriteAttributes).not.toContain('custom:unitId');
      expect(client.Properties.WriteAttributes).not.toContain('custom:staffId');
      expect(client.Properties.GenerateSecret).toBe(false);
    }
  });

  it('gives the console a hosted-UI domain with the configured prefix (default: stage and account)', () => {
    prod.template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: COGNITO_PREFIX,
      UserPoolId: { Ref: logicalId(prod.stack, prod.stack.identity.userPool!) },
    });
    dev.template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: { 'Fn::Join': ['', ['complaint-loop-dev-', { Ref: 'AWS::AccountId' }]] } });
  });

  it('points the console client at <site>/console/callback after the distribution exists: code grant, openid/profile, the whole client sent', () => {
    const client = logicalId(prod.stack, prod.stack.identity.consoleClient!);
    const distribution = logicalId(prod.stack, prod.stack.web.distribution);
    // In the template the client starts with OAuth off: no placeholder redirect ever exists.
    const cfn = prod.template.findResources('AWS::Cognito::UserPoolClient')[client] as { Properties: Record<string, unknown> };
    expect(cfn.Properties['CallbackURLs']).toBeUndefined();
    expect(cfn.Properties['AllowedOAuthFlowsUserPoolClient']).not.toBe(true);
    const calls = Object.values(prod.template.findResources('Custom::AWS')) as { Properties: { Create: unknown; Update: unknown }; DependsOn?: string[] }[];
    expect(calls).toHaveLength(1);
    const create = sdkCall(calls[0]!.Properties.Create);
    expect(sdkCall(calls[0]!.Properties.Update)).toEqual(create);
    expect(create).toMatchObject({ service: 'CognitoIdentityServiceProvider', action: 'updateUserPoolClient' });
    expect(create.parameters).toEqual({
      ...CONSOLE_CLIENT,
      UserPoolId: `@${logicalId(prod.stack, prod.stack.identity.userPool!)}@`,
      ClientId: `@${client}@`,
      CallbackURLs: [`https://@${distribution}.DomainName@/console/callback`],
      LogoutURLs: [`https://@${distribution}.DomainName@/console/`],
    });
    expect(create.parameters).toMatchObject({
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'profile'],
      IdTokenValidity: 60,
      AccessTokenValidity: 60,
    });
    expect(calls[0]!.DependsOn).toContain(client);
    // Its role may update this pool's clients and nothing else.
    const granted = allStatements(prod.template).filter((s) => actionsOf(s.statement).includes('cognito-idp:UpdateUserPoolClient'));
    expect(granted.flatMap((s) => resourcesOf(s.statement))).toEqual([getAtt(logicalId(prod.stack, prod.stack.identity.userPool!), 'Arn')]);
  });

  it('with a site known in advance (a custom domain) registers the callback on the client itself, from the same settings', () => {
    const stack = new Stack(new App(), 'Identity', { env: { region: 'ap-southeast-1' } });
    const identity = new StaffIdentity(stack, 'Id', { retain: false, console: { domainPrefix: 'tousu-staff', site: 'https://tousu.example.cn' } });
    identity.connectConsole('https://ignored.example.cn');
    const template = Template.fromStack(stack);
    const client = template.findResources('AWS::Cognito::UserPoolClient')[logicalId(stack, identity.consoleClient!)] as { Properties: Record<string, unknown> };
    expect(client.Properties).toMatchObject({
      CallbackURLs: ['https://tousu.example.cn/console/callback'],
      LogoutURLs: ['https://tousu.example.cn/console/'],
      GenerateSecret: false,
    });
    // The fields UpdateUserPoolClient would send are those of the CloudFormation client: no drift between the two paths.
    for (const [field, value] of Object.entries(CONSOLE_CLIENT)) expect(client.Properties[field], field).toEqual(value);
    template.resourceCountIs('Custom::AWS', 0);
    expect(identity.consoleHost).toBe('tousu-staff.auth.ap-southeast-1.amazoncognito.com');
  });

  it('writes console/config.json with the hosted UI, the console client and the site’s callback', () => {
    const deployment = Object.values(
      prod.template.findResources('Custom::CDKBucketDeployment', { Properties: { DestinationBucketKeyPrefix: 'console/' } }),
    )[0] as { Properties: { SourceMarkers: Record<string, unknown>[] } };
    const markers = Object.assign({}, ...deployment.Properties.SourceMarkers) as Record<string, unknown>;
    const file = readdirSync(prod.app.outdir)
      .filter((d) => d.startsWith('asset.'))
      .map((d) => join(prod.app.outdir, d, 'config.json'))
      .find((f) => existsSync(f));
    expect(file).toBeDefined();
    const raw = readFileSync(file!, 'utf8').replace(/<<marker:0xbaba:\d+>>/g, (m) => tokenText(markers[m]));
    const distribution = logicalId(prod.stack, prod.stack.web.distribution);
    expect(JSON.parse(raw)).toEqual({
      mode: 'cognito',
      domain: COGNITO_DOMAIN,
      clientId: `@${logicalId(prod.stack, prod.stack.identity.consoleClient!)}@`,
      redirectUri: `https://@${distribution}.DomainName@/console/callback`,
      logoutUri: `https://@${distribution}.DomainName@/console/`,
    });
  });
});

describe('escalation queue', () => {
  it('redrives to an encrypted DLQ after 5 receives and refuses plain HTTP', () => {
    const dlq = logicalId(dev.stack, dev.stack.escalations.deadLetterQueue);
    dev.template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: getAtt(dlq), maxReceiveCount: 5 },
      SqsManagedSseEnabled: true,
    });
    for (const queue of [dev.stack.escalations.queue, dev.stack.escalations.deadLetterQueue]) {
      dev.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalId(dev.stack, queue) }],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    }
  });

  it('feeds the escalation function with partial batch responses', () => {
    dev.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: getAtt(logicalId(dev.stack, dev.stack.escalations.queue)),
      FunctionName: { Ref: fnIds(dev.stack, 'escalation').fn },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    // The other mappings are the outbox dispatcher's and the statistics aggregator's streams (below).
    dev.template.resourceCountIs('AWS::Lambda::EventSourceMapping', 3);
  });

  it('lets exactly the escalating functions send, with the queue URL in their environment', () => {
    const queue = logicalId(dev.stack, dev.stack.escalations.queue);
    for (const name of ALL_FUNCTIONS) {
      const profile = profileOf(name);
      const sends = granting(dev.template, fnIds(dev.stack, name).role, 'sqs:SendMessage').filter((s) => JSON.stringify(resourcesOf(s)).includes(queue));
      expect(sends.length > 0, name).toBe(profile.escalates === true);
    }
  });
});

describe('transactional outbox (decision 051)', () => {
  it('streams the table’s new images', () => {
    dev.template.hasResourceProperties('AWS::DynamoDB::Table', { StreamSpecification: { StreamViewType: 'NEW_IMAGE' } });
  });

  it('feeds the dispatcher from the stream with partial failures, bisect, retries, a DLQ, and only writes that owe effects', () => {
    dev.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: getAtt(tableId(dev.stack), 'StreamArn'),
      FunctionName: { Ref: fnIds(dev.stack, 'outbox-dispatcher').fn },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: OUTBOX_RETRY_ATTEMPTS,
      StartingPosition: 'LATEST',
      DestinationConfig: { OnFailure: { Destination: getAtt(logicalId(dev.stack, dev.stack.outbox.deadLetterQueue), 'Arn') } },
      FilterCriteria: {
        Filters: [
          {
            Pattern: Match.serializedJson(
              Match.objectLike({ dynamodb: { Keys: { SK: { S: ['A'] } }, NewImage: { GSI6PK: { S: [{ prefix: 'EFFECTS#' }] } } } }),
            ),
          },
        ],
      },
    });
  });

  it('lets the dispatcher read the stream, write the table, schedule, queue and text — and the request functions none of the last three', () => {
    const role = fnIds(dev.stack, 'outbox-dispatcher').role;
    expect(granting(dev.template, role, 'dynamodb:GetRecords').map(resourcesOf)).toEqual([[getAtt(tableId(dev.stack), 'StreamArn')]]);
    expect(profileOf('outbox-dispatcher')).toMatchObject({ table: 'write', schedules: true, escalates: true, sendsSms: true });
    for (const name of ['intake', 'assignment', 'contact', 'reply', 'callback', 'case-actions', 'quality-actions'] as const) {
      expect(profileOf(name), name).toEqual({ table: 'write' });
      expect(granting(dev.template, fnIds(dev.stack, name).role, 'scheduler:CreateSchedule'), name).toEqual([]);
    }
  });

  it('alarms as soon as the outbox DLQ holds a batch', () => {
    dev.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 0,
      Dimensions: [{ Name: 'QueueName', Value: getAtt(logicalId(dev.stack, dev.stack.outbox.deadLetterQueue), 'QueueName') }],
    });
  });
});

describe('statistics (decision 060)', () => {
  it('feeds the aggregator every complaint write from the stream, with partial failures, bisect, retries, one shard at a time and a DLQ', () => {
    dev.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: getAtt(tableId(dev.stack), 'StreamArn'),
      FunctionName: { Ref: fnIds(dev.stack, 'stats-aggregator').fn },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: STATS_RETRY_ATTEMPTS,
      ParallelizationFactor: 1,
      StartingPosition: 'TRIM_HORIZON',
      DestinationConfig: { OnFailure: { Destination: getAtt(logicalId(dev.stack, dev.stack.statistics.deadLetterQueue), 'Arn') } },
      FilterCriteria: {
        Filters: [{ Pattern: Match.serializedJson(Match.objectLike({ dynamodb: { Keys: { PK: { S: [{ prefix: 'CMP#' }] }, SK: { S: ['A'] } } } })) }],
      },
    });
  });

  it('alarms as soon as the statistics DLQ holds a batch; the aggregator writes, the reports function only reads', () => {
    dev.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 0,
      Dimensions: [{ Name: 'QueueName', Value: getAtt(logicalId(dev.stack, dev.stack.statistics.deadLetterQueue), 'QueueName') }],
    });
    expect(granting(dev.template, fnIds(dev.stack, 'stats-aggregator').role, 'dynamodb:GetRecords').map(resourcesOf)).toEqual([
      [getAtt(tableId(dev.stack), 'StreamArn')],
    ]);
    expect(granting(dev.template, fnIds(dev.stack, 'stats-aggregator').role, 'dynamodb:UpdateItem')).not.toEqual([]);
    expect(granting(dev.template, fnIds(dev.stack, 'reports').role, 'dynamodb:UpdateItem')).toEqual([]);
    expect(granting(dev.template, fnIds(dev.stack, 'reports').role, 'dynamodb:Query')).not.toEqual([]);
  });

  it('routes GET /reports to the reports function', () => {
    dev.template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /reports' });
  });
});

describe('SLA scheduler', () => {
  const schedulerRole = (stack: ComplaintStack) => logicalId(stack, stack.scheduler.role);

  it('has a role that only the scheduler can assume and that can invoke sla-check and nothing else', () => {
    dev.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' }, Condition: Match.objectLike({ StringEquals: Match.anyValue() }) })],
      },
    });
    const statements = statementsOfRole(dev.template, schedulerRole(dev.stack));
    const invoke = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('lambda:')));
    expect(invoke).toHaveLength(1);
    expect(actionsOf(invoke[0]!)).toEqual(['lambda:InvokeFunction']);
    expect(resourcesOf(invoke[0]!)).toEqual([getAtt(fnIds(dev.stack, 'sla-check').fn)]);
    // The only other right: put failed invocations into the SLA dead-letter queue.
    const rest = statements.filter((s) => !invoke.includes(s));
    expect(rest.map((s) => [actionsOf(s), resourcesOf(s)])).toEqual([
      [['sqs:SendMessage'], [getAtt(logicalId(dev.stack, dev.stack.scheduler.deadLetterQueue))]],
    ]);
  });

  it('lets planners create, update and delete schedules in the group only (no read, no list), and pass exactly the scheduler role', () => {
    const role = schedulerRole(dev.stack);
    const group = dev.stack.resolve(dev.stack.scheduler.group.scheduleGroupName) as string;
    for (const name of ALL_FUNCTIONS) {
      const profile = profileOf(name);
      const ids = fnIds(dev.stack, name);
      const schedules = statementsOfRole(dev.template, ids.role).filter((s) => actionsOf(s).some((a) => a.startsWith('scheduler:')));
      const passRole = granting(dev.template, ids.role, 'iam:PassRole');
      if (!profile.schedules) {
        expect(schedules, name).toEqual([]);
        expect(passRole, name).toEqual([]);
        continue;
      }
      expect(schedules, name).toHaveLength(1);
      // One schedule per complaint, moved in place (decision 053): create, update, delete — nothing else.
      expect(actionsOf(schedules[0]!).sort()).toEqual(['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:UpdateSchedule']);
      expect([...SCHEDULE_ACTIONS].sort()).toEqual(actionsOf(schedules[0]!).sort());
      expect(JSON.stringify(resourcesOf(schedules[0]!))).toContain(`:schedule/${group}/*"`);
      expect(passRole).toEqual([
        { Effect: 'Allow', Action: 'iam:PassRole', Resource: getAtt(role), Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } } },
      ]);
      const vars = (dev.template.toJSON().Resources[ids.fn].Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(Object.keys(vars)).toEqual(
        expect.arrayContaining(['SCHEDULE_GROUP', 'SCHEDULER_ROLE_ARN', 'SLA_CHECK_ARN', 'SCHEDULER_DLQ_ARN', 'ESCALATION_QUEUE_URL']),
      );
      expect(JSON.stringify(vars['SLA_CHECK_ARN'])).toContain(':function:ComplaintLoop-dev-sla-check');
    }
  });

  it('runs the calendar watch daily at 09:00 Shanghai and alarms on a provisional year, a silent watch included (decision 041)', () => {
    for (const { stack, template } of [dev, prod]) {
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'cron(0 1 * * ? *)',
        Targets: [
          Match.objectLike({
            Arn: getAtt(fnIds(stack, 'calendar-watch').fn),
            DeadLetterConfig: { Arn: getAtt(logicalId(stack, stack.scheduler.deadLetterQueue)) },
          }),
        ],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'ComplaintLoop',
        MetricName: 'CalendarNotOfficial',
        Statistic: 'Maximum',
        Period: 86_400,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'breaching',
        AlarmActions: [{ Ref: logicalId(stack, stack.monitoring.topic) }],
      });
    }
  });

  it('e-mails the calendar reminder to calendarAdminEmails when given, else leaves the operations directors as recipients', () => {
    const env = (s: Synthesised) =>
      (s.template.toJSON().Resources[fnIds(s.stack, 'calendar-watch').fn] as { Properties: { Environment: { Variables: Record<string, unknown> } } }).Properties
        .Environment.Variables;
    expect(env(prod)['CALENDAR_ADMIN_EMAILS']).toBe('calendar@post.example.cn,ops@post.example.cn');
    expect(env(dev)['CALENDAR_ADMIN_EMAILS']).toBeUndefined();
    expect(() => stageConfig(new App({ context: { calendarAdminEmails: 'not-an-address' } }).node)).toThrow(/calendarAdminEmails/);
  });

  it('runs the sweep every 15 minutes, with failed deliveries in the SLA dead-letter queue', () => {
    dev.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(15 minutes)',
      Targets: [
        Match.objectLike({
          Arn: getAtt(fnIds(dev.stack, 'sla-sweep').fn),
          DeadLetterConfig: { Arn: getAtt(logicalId(dev.stack, dev.stack.scheduler.deadLetterQueue)) },
        }),
      ],
    });
  });

  it('sends failed asynchronous sla-check and sla-sweep runs to the SLA dead-letter queue', () => {
    for (const name of ['sla-check', 'sla-sweep'] as const) {
      dev.template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: name === 'sla-check' ? 'ComplaintLoop-dev-sla-check' : Match.absent(),
        DeadLetterConfig: { TargetArn: getAtt(logicalId(dev.stack, dev.stack.scheduler.deadLetterQueue)) },
      });
    }
  });
});

describe('messaging', () => {
  it('lets only the escalation consumer, the calendar watch and the monthly report snapshot send e-mail, only from the SES identity', () => {
    const senders = allStatements(prod.template).filter((s) => actionsOf(s.statement).some((a) => a.startsWith('ses:')));
    expect(senders.map((s) => s.roles).sort()).toEqual(
      [[fnIds(prod.stack, 'calendar-watch').role], [fnIds(prod.stack, 'escalation').role], [fnIds(prod.stack, 'report-snapshot').role]].sort(),
    );
    for (const sender of senders) {
      expect(actionsOf(sender.statement)).toEqual(['ses:SendEmail']);
      expect(JSON.stringify(resourcesOf(sender.statement))).toMatch(/:ses:.*:identity\/post\.example\.cn"/);
    }
    prod.template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ MAIL_FROM: 'noreply@post.example.cn' }) } });
  });

  it('lets the SMS senders use the one origination identity, and nobody else send SMS', () => {
    const identity = PROD_CONTEXT.smsOriginationIdentityArn;
    for (const name of ALL_FUNCTIONS) {
      const profile = profileOf(name);
      const sms = statementsOfRole(prod.template, fnIds(prod.stack, name).role).filter((s) => actionsOf(s).some((a) => a.startsWith('sms-voice:')));
      if (profile.sendsSms) expect(sms, name).toEqual([{ Effect: 'Allow', Action: 'sms-voice:SendTextMessage', Resource: identity }]);
      else expect(sms, name).toEqual([]);
    }
  });

  it('grants no e-mail or SMS when no identity is configured (dev)', () => {
    const messaging = allStatements(dev.template).filter((s) => actionsOf(s.statement).some((a) => a.startsWith('ses:') || a.startsWith('sms-voice:')));
    expect(messaging).toEqual([]);
  });

  it('receives two-way SMS on a KMS-encrypted topic subscribed by channel-sms', () => {
    const topic = logicalId(dev.stack, dev.stack.messaging.inboundSmsTopic);
    dev.template.hasResourceProperties('AWS::SNS::Topic', { DisplayName: 'complaint-loop inbound SMS', KmsMasterKeyId: Match.anyValue() });
    dev.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: topic },
      Endpoint: getAtt(fnIds(dev.stack, 'channel-sms').fn),
      RedrivePolicy: { deadLetterTargetArn: getAtt(logicalId(dev.stack, dev.stack.messaging.inboundDeadLetterQueue)) },
    });
  });

  it('lets only the channel functions read the webhook secret', () => {
    const secret = logicalId(dev.stack, dev.stack.messaging.webhookSecret);
    // Policy minimisation may merge it with the origin secret's grant (decision 039) into one statement.
    const readers = allStatements(dev.template).filter(
      (s) => actionsOf(s.statement).includes('secretsmanager:GetSecretValue') && JSON.stringify(resourcesOf(s.statement)).includes(`"${secret}"`),
    );
    expect(readers.flatMap((s) => s.roles).sort()).toEqual([fnIds(dev.stack, 'channel-ivr').role, fnIds(dev.stack, 'channel-sms').role].sort());
    for (const reader of readers) expect(resourcesOf(reader.statement)).toEqual(expect.arrayContaining([{ Ref: secret }]));
    for (const reader of readers)
      expect(resourcesOf(reader.statement).filter((r) => JSON.stringify(r) !== JSON.stringify({ Ref: secret }))).toEqual([
        { Ref: logicalId(dev.stack, dev.stack.originSecret.secret) },
      ]);
  });

  it('lets only the escalation consumer (signs) and the notices function (verifies) read the notice-link key (decision 049)', () => {
    const secret = logicalId(dev.stack, dev.stack.messaging.noticeSecret);
    const readers = allStatements(dev.template).filter(
      (s) => actionsOf(s.statement).includes('secretsmanager:GetSecretValue') && JSON.stringify(resourcesOf(s.statement)).includes(`"${secret}"`),
    );
    expect(readers.flatMap((s) => s.roles).sort()).toEqual([fnIds(dev.stack, 'escalation').role, fnIds(dev.stack, 'notices').role].sort());
    for (const name of ['escalation', 'notices'] as const) {
      const vars = (dev.template.toJSON().Resources[fnIds(dev.stack, name).fn].Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(vars['NOTICE_SECRET_ARN'], name).toEqual({ Ref: secret });
    }
  });
});

describe('least privilege', () => {
  const WRITE = /^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem|PartiQL(Insert|Update|Delete))$/;

  it('gives read-only functions no DynamoDB write action', () => {
    for (const name of ALL_FUNCTIONS.filter((n) => profileOf(n).table === 'read')) {
      const writes = statementsOfRole(dev.template, fnIds(dev.stack, name).role)
        .flatMap(actionsOf)
        .filter((a) => WRITE.test(a));
      expect(writes, name).toEqual([]);
    }
  });

  it('lets writers put and update on the table ARN only, and nobody delete', () => {
    const table = getAtt(tableId(dev.stack));
    for (const name of ALL_FUNCTIONS.filter((n) => profileOf(n).table === 'write')) {
      const writes = statementsOfRole(dev.template, fnIds(dev.stack, name).role).filter((s) => actionsOf(s).some((a) => WRITE.test(a)));
      expect(
        writes.map((s) => [actionsOf(s).sort(), resourcesOf(s)]),
        name,
      ).toEqual([[[...TABLE_WRITE_ACTIONS].sort(), [table]]]);
    }
  });

  it('lets every function read the table and each index by name, never Scan', () => {
    const table = getAtt(tableId(dev.stack));
    const indexes = TABLE.indexes.map((i) => ({ 'Fn::Join': ['', [table, `/index/${i.indexName}`]] }));
    for (const name of ALL_FUNCTIONS) {
      const statements = statementsOfRole(dev.template, fnIds(dev.stack, name).role);
      const reads = statements.filter((s) => actionsOf(s).includes('dynamodb:Query'));
      expect(
        reads.map((s) => [actionsOf(s).sort(), resourcesOf(s)]),
        name,
      ).toEqual([[[...TABLE_READ_ACTIONS].sort(), [table, ...indexes]]]);
      expect(statements.flatMap(actionsOf), name).not.toContain('dynamodb:Scan');
    }
  });

  it('uses Resource "*" only for X-Ray, the outbox stream’s ListStreams and CDK’s BucketDeployment invalidation', () => {
    const deploymentRole = /^CustomCDKBucketDeployment/;
    for (const template of [dev.template, prod.template]) {
      for (const { policy, statement } of allStatements(template)) {
        if (!resourcesOf(statement).includes('*')) continue;
        // The stream mapping's ListStreams has no resource-level permission (CDK's DynamoEventSource grant).
        const allowed = deploymentRole.test(policy)
          ? ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation']
          : /^Fn(outboxdispatcher|statsaggregator)/.test(policy)
            ? [...WILDCARD_RESOURCE_ACTIONS, 'dynamodb:ListStreams']
            : [...WILDCARD_RESOURCE_ACTIONS];
        expect(
          actionsOf(statement).filter((a) => !allowed.includes(a)),
          policy,
        ).toEqual([]);
      }
    }
  });

  it('gives the function roles no managed policy and no wildcard action', () => {
    for (const name of ALL_FUNCTIONS) {
      const role = dev.template.toJSON().Resources[fnIds(dev.stack, name).role] as { Properties: { ManagedPolicyArns?: unknown } };
      expect(role.Properties.ManagedPolicyArns, name).toBeUndefined();
      expect(
        statementsOfRole(dev.template, fnIds(dev.stack, name).role)
          .flatMap(actionsOf)
          .filter((a) => a.includes('*')),
        name,
      ).toEqual([]);
    }
  });
});

describe('web hosting', () => {
  it('keeps both buckets private, TLS-only, encrypted; the site bucket versioned and logged', () => {
    const site = logicalId(dev.stack, dev.stack.web.bucket);
    const logs = logicalId(dev.stack, dev.stack.web.logBucket);
    dev.template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: { Ref: logs }, LogFilePrefix: 'site/' },
    });
    for (const bucket of [site, logs]) {
      dev.template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: bucket },
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
    }
    prod.template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ VersioningConfiguration: { Status: 'Enabled' } }),
    });
  });

  it('serves index.html over HTTPS with OAC, security headers and logs, and the API paths from the API origin', () => {
    dev.template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    // prod: a literal hosted-UI prefix, so the policy is one string (dev's default prefix holds the account id).
    prod.template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: Match.objectLike({ ContentSecurityPolicy: Match.stringLikeRegexp("default-src 'self'") }),
          StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: 63072000 }),
          FrameOptions: Match.objectLike({ FrameOption: 'DENY' }),
          ReferrerPolicy: Match.objectLike({ ReferrerPolicy: 'no-referrer' }),
        }),
      },
    });
    const api = logicalId(dev.stack, dev.stack.api.api);
    const expectedPatterns = [
      '/admin/*',
      '/assists*',
      '/channels/*',
      '/compensation/*',
      '/complaints*',
      '/determinations*',
      '/notices/*',
      '/rectification-notices*',
      '/rectifications*',
      '/reports*',
      '/staff/*',
      '/track/*',
    ];
    dev.template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        CacheBehaviors: Match.arrayWith(
          expectedPatterns.map((PathPattern) =>
            Match.objectLike({ PathPattern, ViewerProtocolPolicy: 'https-only', AllowedMethods: Match.arrayWith(['POST']) }),
          ),
        ),
        Logging: Match.objectLike({ Prefix: 'cloudfront/' }),
        Origins: Match.arrayWith([
          Match.objectLike({
            DomainName: { 'Fn::Join': ['', Match.arrayWith([{ Ref: api }])] },
            CustomOriginConfig: Match.objectLike({ OriginProtocolPolicy: 'https-only' }),
          }),
        ]),
      }),
    });
  });

  it('deploys the site folder and invalidates the distribution', () => {
    dev.template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DistributionPaths: ['/*'],
      DestinationBucketName: { Ref: logicalId(dev.stack, dev.stack.web.bucket) },
    });
  });

  it('serves the console under /console* from the site bucket through the SPA fallback, and deploys it under console/ without the site deployment pruning it', () => {
    // Assess: the behaviour, with the viewer-request function
    const distribution = Object.values(dev.template.findResources('AWS::CloudFront::Distribution'))[0] as {
      Properties: {
        DistributionConfig: { CacheBehaviors: { PathPattern: string; ViewerProtocolPolicy: string; FunctionAssociations?: { EventType: string }[] }[] };
      };
    };
    const behaviour = distribution.Properties.DistributionConfig.CacheBehaviors.find((b) => b.PathPattern === '/console*');
    expect(behaviour).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', FunctionAssociations: [{ EventType: 'viewer-request' }] });
    // The console's deployment owns console/ and invalidates only it; the site's excludes it from its prune.
    const bucket = { Ref: logicalId(dev.stack, dev.stack.web.bucket) };
    dev.template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: bucket,
      DestinationBucketKeyPrefix: 'console/',
      DistributionPaths: ['/console*'],
    });
    dev.template.hasResourceProperties('Custom::CDKBucketDeployment', { DestinationBucketName: bucket, DistributionPaths: ['/*'], Exclude: ['console/*'] });
  });

  it('falls back to /console/index.html for the console’s pages but not for its files', () => {
    // Prepare: the CloudFront Function's own code, run as CloudFront runs it
    const handler = new Function(`${CONSOLE_FALLBACK_CODE}; return handler;`)() as (e: { request: { uri: string } }) => { uri: string };
    const uri = (u: string) => handler({ request: { uri: u } }).uri;
    // Assess
    expect([uri('/console'), uri('/console/'), uri('/console/c/C0123456789ABCDEF'), uri('/console/callback')]).toEqual(Array(4).fill('/console/index.html'));
    expect([uri('/console/app.js'), uri('/console/style.css'), uri('/console/config.json')]).toEqual([
      '/console/app.js',
      '/console/style.css',
      '/console/config.json',
    ]);
  });

  it('lets the console reach its Cognito hosted UI, and nothing else', () => {
    const csp = (t: Template) =>
      (
        Object.values(t.findResources('AWS::CloudFront::ResponseHeadersPolicy'))[0] as {
          Properties: { ResponseHeadersPolicyConfig: { SecurityHeadersConfig: { ContentSecurityPolicy: { ContentSecurityPolicy: string } } } };
        }
      ).Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy;
    expect(csp(prod.template)).toContain(`connect-src 'self' https://${COGNITO_DOMAIN};`);
    expect(JSON.stringify(csp(dev.template))).toContain("connect-src 'self' https://complaint-loop-dev-");
  });
});

describe('alarms', () => {
  const alarmsOn = (template: Template, metricName: string) =>
    Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: metricName } })) as {
      Properties: { Dimensions?: { Name: string; Value: unknown }[]; AlarmActions: unknown[]; Threshold: number };
    }[];

  it('alarm on every dead-letter queue holding a message', () => {
    const queues = [
      dev.stack.escalations.deadLetterQueue,
      dev.stack.scheduler.deadLetterQueue,
      dev.stack.messaging.inboundDeadLetterQueue,
      dev.stack.outbox.deadLetterQueue,
    ];
    const watched = alarmsOn(dev.template, 'ApproximateNumberOfMessagesVisible').map((a) => a.Properties.Dimensions?.[0]?.Value);
    expect(watched).toEqual(expect.arrayContaining(queues.map((q) => getAtt(logicalId(dev.stack, q), 'QueueName'))));
    for (const a of alarmsOn(dev.template, 'ApproximateNumberOfMessagesVisible')) expect(a.Properties.Threshold).toBe(0);
  });

  it('alarm on errors and throttles of every function, API 5xx and failed or dropped schedules', () => {
    for (const metric of ['Errors', 'Throttles']) {
      const watched = alarmsOn(dev.template, metric).map((a) => a.Properties.Dimensions?.[0]?.Value);
      for (const name of ALL_FUNCTIONS) expect(watched, `${metric} ${name}`).toContainEqual({ Ref: fnIds(dev.stack, name).fn });
    }
    expect(alarmsOn(dev.template, '5xx')).toHaveLength(1);
    for (const metric of ['TargetErrorCount', 'InvocationDroppedCount']) {
      const [alarm] = alarmsOn(dev.template, metric);
      expect(alarm?.Properties.Dimensions, metric).toEqual([{ Name: 'ScheduleGroup', Value: dev.stack.resolve(dev.stack.scheduler.group.scheduleGroupName) }]);
    }
  });

  it('alarm when the oldest pending side effect a sweep sees is older than 5 minutes, and on a spike of breaches in 15 minutes (prod: more than 20)', () => {
    const topic = { Ref: logicalId(prod.stack, prod.stack.monitoring.topic) };
    prod.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'ComplaintLoop',
      MetricName: 'OutboxAgeMs',
      Statistic: 'Maximum',
      Period: 900,
      Threshold: 5 * 60_000,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [topic],
    });
    prod.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'ComplaintLoop',
      MetricName: 'DeadlinesBreached',
      Statistic: 'Sum',
      Period: 900,
      Threshold: 20,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [topic],
    });
    // Totals, not one alarm per dimension value: the functions publish each metric once without dimensions.
    for (const name of ['OutboxAgeMs', 'DeadlinesBreached']) expect(alarmsOn(prod.template, name).map((a) => a.Properties.Dimensions)).toEqual([undefined]);
    dev.template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'DeadlinesBreached', Threshold: dev.stack.config.breachSpikeThreshold });
  });

  it('notify one encrypted topic, with the e-mail subscription when given', () => {
    const topic = logicalId(prod.stack, prod.stack.monitoring.topic);
    for (const alarm of Object.values(prod.template.findResources('AWS::CloudWatch::Alarm')) as { Properties: { AlarmActions: unknown[] } }[]) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic }]);
    }
    prod.template.hasResourceProperties('AWS::SNS::Topic', { DisplayName: 'complaint-loop alarms', KmsMasterKeyId: Match.anyValue() });
    prod.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: PROD_CONTEXT.alarmEmail, TopicArn: { Ref: topic } });
    dev.template.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'email' }, 0);
  });
});

describe('operations dashboard', () => {
  interface Widget {
    properties: { title: string; metrics?: unknown[][] };
  }
  /** The dashboard body as JSON, each CloudFormation reference inside it written as `<LogicalId>`. */
  const widgets = (): Widget[] => {
    const dashboards = Object.values(dev.template.findResources('AWS::CloudWatch::Dashboard')) as {
      Properties: { DashboardBody: { 'Fn::Join': [string, unknown[]] } };
    }[];
    expect(dashboards).toHaveLength(1);
    const parts = dashboards[0]!.Properties.DashboardBody['Fn::Join'][1];
    const text = parts.map((p) => (typeof p === 'string' ? p : `<${JSON.stringify(p).replace(/[^A-Za-z0-9]/g, '')}>`)).join('');
    return (JSON.parse(text) as { widgets: Widget[] }).widgets;
  };
  const graphOf = (title: RegExp) => {
    const widget = widgets().find((w) => title.test(w.properties.title));
    expect(widget, String(title)).toBeDefined();
    return JSON.stringify(widget!.properties.metrics);
  };

  it('graphs intake per channel, breaches per milestone, escalations, SMS parts and failures per purpose, and the outbox age from the EMF metrics', () => {
    const search = (name: string, dimension: string) => `SEARCH('{ComplaintLoop,${dimension}} MetricName=\\"${name}\\"', 'Sum', 300)`;
    expect(graphOf(/^Intake per channel/)).toContain(search('IntakeReceived', 'channel'));
    expect(graphOf(/^Deadlines breached per milestone/)).toContain(search('DeadlinesBreached', 'milestone'));
    expect(graphOf(/^Escalations sent \/ failed/)).toContain(search('EscalationsSent', 'level'));
    expect(graphOf(/^Escalations sent \/ failed/)).toContain(search('EscalationsFailed', 'level'));
    expect(graphOf(/^SMS parts/)).toContain(search('SmsParts', 'purpose'));
    expect(graphOf(/^SMS parts/)).toContain(search('SmsFailed', 'purpose'));
    expect(graphOf(/^Outbox age/)).toContain('"ComplaintLoop","OutboxAgeMs"');
  });

  it('graphs API 5xx and latency, errors and throttles of every function, and the depth of every dead-letter queue', () => {
    expect(graphOf(/^API 5xx and latency/)).toMatch(/"5xx".*"Latency"/);
    for (const [title, metric] of [
      [/^Lambda errors/, 'Errors'],
      [/^Lambda throttles/, 'Throttles'],
    ] as const) {
      const graph = graphOf(title);
      expect(graph).toContain(`"AWS/Lambda","${metric}"`);
      for (const name of ALL_FUNCTIONS) expect(graph, name).toContain(`"label":"${name}"`);
    }
    const dlq = graphOf(/^Dead-letter queue depth/);
    for (const q of [dev.stack.escalations.deadLetterQueue, dev.stack.scheduler.deadLetterQueue, dev.stack.messaging.inboundDeadLetterQueue]) {
      expect(dlq).toContain(logicalId(dev.stack, q));
    }
  });
});

describe('outputs', () => {
  it('name the API and web URLs, the user pool and client, the table and the queues', () => {
    const outputs = Object.keys(dev.template.toJSON().Outputs as Record<string, unknown>);
    expect(outputs).toEqual(
      expect.arrayContaining([
        'ApiUrl',
        'WebUrl',
        'UserPoolId',
        'UserPoolClientId',
        'JwtIssuer',
        'TableName',
        'EscalationQueueUrl',
        'EscalationDlqUrl',
        'SlaDlqUrl',
        'InboundSmsTopicArn',
        'WebhookSecretArn',
        'DashboardName',
      ]),
    );
  });
});

describe('limits in AWS: WAF on CloudFront, API only through it, reserved concurrency', () => {
  // biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON walked by path in the assertions below
  type Rule = { Name: string; Priority: number; Action?: unknown; OverrideAction?: unknown; Statement: Record<string, any> };
  const webAclOf = (s: Synthesised) => {
    const acls = Object.values(s.edgeTemplate!.findResources('AWS::WAFv2::WebACL')) as {
      Properties: { Scope: string; Rules: Rule[]; DefaultAction: unknown; CustomResponseBodies: Record<string, { Content: string }> };
    }[];
    expect(acls).toHaveLength(1);
    return acls[0]!.Properties;
  };
  const ruleOf = (s: Synthesised, name: string) => {
    const rule = webAclOf(s).Rules.find((r) => r.Name === name);
    if (!rule) throw new Error(`no rule ${name}`);
    return rule;
  };

  it('puts a CLOUDFRONT web ACL in a us-east-1 edge stack in every stage, whatever the main region', () => {
    for (const s of [dev, prod]) {
      expect(s.edge?.region).toBe('us-east-1');
      expect(webAclOf(s)).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
    }
    expect(prod.stack.region).toBe('ap-southeast-1');
  });

  it('attaches the edge stack’s web ACL to the distribution across regions, and the main stack deploys after it', () => {
    for (const s of [dev, prod]) {
      const distribution = Object.values(s.template.findResources('AWS::CloudFront::Distribution'))[0] as {
        Properties: { DistributionConfig: { WebACLId: { 'Fn::GetStackOutput': { OutputName: string } } } };
      };
      const ref = distribution.Properties.DistributionConfig.WebACLId['Fn::GetStackOutput'];
      expect(ref).toMatchObject({ StackName: s.edge!.stackName, Region: 'us-east-1' });
      const outputs = s.edgeTemplate!.toJSON().Outputs as Record<string, { Value: unknown }>;
      expect(outputs[ref.OutputName]?.Value).toEqual(getAtt(s.edge!.getLogicalId(s.edge!.firewall.webAcl), 'Arn'));
      expect(s.stack.dependencies).toContain(s.edge);
    }
  });

  it('limits each client IP on POST /complaints, /track/ and /channels/ at the local limiter’s rates, and floods on any path', () => {
    const rule = ruleOf(prod, 'IntakePerClient');
    expect(rule.Statement['RateBasedStatement']).toMatchObject({
      AggregateKeyType: 'IP',
      EvaluationWindowSec: RATE_WINDOW_SECONDS,
      Limit: PUBLIC_THROTTLE.intake.clientRate * RATE_WINDOW_SECONDS,
    });
    const intakeScope = JSON.stringify(rule.Statement['RateBasedStatement'].ScopeDownStatement);
    expect(intakeScope).toContain('"SearchString":"POST"');
    expect(intakeScope).toContain('"SearchString":"/complaints"');
    expect(ruleOf(prod, 'TrackPerClient').Statement['RateBasedStatement']).toMatchObject({
      Limit: PUBLIC_THROTTLE.track.clientRate * RATE_WINDOW_SECONDS,
      ScopeDownStatement: {
        ByteMatchStatement: expect.objectContaining({ FieldToMatch: { UriPath: {} }, PositionalConstraint: 'STARTS_WITH', SearchString: '/track/' }),
      },
    });
    expect(ruleOf(prod, 'ChannelsPerClient').Statement['RateBasedStatement'].ScopeDownStatement.ByteMatchStatement.SearchString).toBe('/channels/');
    expect(ruleOf(prod, 'FloodPerClient').Statement['RateBasedStatement']).toEqual({
      AggregateKeyType: 'IP',
      Limit: FLOOD_LIMIT_PER_WINDOW,
      EvaluationWindowSec: RATE_WINDOW_SECONDS,
    });
    // Stricter on intake than on tracking, both far below the flood cap.
    const limits = CLIENT_RATE_RULES.map((r) => r.limit);
    expect(limits[0]).toBeLessThan(limits[1]!);
    expect(Math.max(...limits.slice(0, 2))).toBeLessThan(FLOOD_LIMIT_PER_WINDOW);
  });

  it('answers a rate-limited client 429 with a problem body and Retry-After, and evaluates rate rules before the managed groups', () => {
    const acl = webAclOf(prod);
    for (const name of [...CLIENT_RATE_RULES.map((r) => r.name), 'FloodPerClient']) {
      expect(ruleOf(prod, name).Action).toEqual({
        Block: {
          CustomResponse: {
            ResponseCode: 429,
            CustomResponseBodyKey: 'rate-limited',
            ResponseHeaders: [{ Name: 'retry-after', Value: String(RATE_WINDOW_SECONDS) }],
          },
        },
      });
    }
    expect(JSON.parse(acl.CustomResponseBodies['rate-limited']!.Content)).toMatchObject({ status: 429, code: 'rate-limited' });
    const priorities = acl.Rules.map((r) => r.Priority);
    expect(new Set(priorities).size).toBe(priorities.length);
    const managedFirst = Math.min(...acl.Rules.filter((r) => r.OverrideAction).map((r) => r.Priority));
    expect(Math.max(...acl.Rules.filter((r) => r.Action).map((r) => r.Priority))).toBeLessThan(managedFirst);
  });

  it('blocks with the AWS IP reputation, known bad inputs and common rule groups, counting only the 8 KB body rule', () => {
    for (const name of ['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesCommonRuleSet']) {
      const rule = ruleOf(dev, name);
      expect(rule.OverrideAction).toEqual({ None: {} });
      expect(rule.Statement['ManagedRuleGroupStatement']).toMatchObject({ VendorName: 'AWS', Name: name });
    }
    expect(ruleOf(dev, 'AWSManagedRulesCommonRuleSet').Statement['ManagedRuleGroupStatement'].RuleActionOverrides).toEqual([
      { Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } },
    ]);
  });

  it('logs the web ACL to an aws-waf-logs- group with staff tokens redacted', () => {
    prod.edgeTemplate!.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: 'aws-waf-logs-complaint-loop-prod', RetentionInDays: 365 });
    prod.edgeTemplate!.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      ResourceArn: getAtt(prod.edge!.getLogicalId(prod.edge!.firewall.webAcl), 'Arn'),
      RedactedFields: [{ SingleHeader: { Name: 'authorization' } }],
    });
  });

  it('sends the origin secret to the API origin only, as a dynamic reference that keeps the value out of the template', () => {
    const secret = logicalId(dev.stack, dev.stack.originSecret.secret);
    const distribution = Object.values(dev.template.findResources('AWS::CloudFront::Distribution'))[0] as {
      Properties: { DistributionConfig: { Origins: { OriginCustomHeaders?: unknown; S3OriginConfig?: unknown }[] } };
    };
    const origins = distribution.Properties.DistributionConfig.Origins;
    const api = origins.filter((o) => o.OriginCustomHeaders !== undefined);
    expect(api).toHaveLength(1);
    expect(api[0]!.OriginCustomHeaders).toEqual([
      { HeaderName: ORIGIN_HEADER, HeaderValue: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secret }, ':SecretString:current::}}']] } },
    ]);
    expect(origins.find((o) => o.S3OriginConfig !== undefined)?.OriginCustomHeaders).toBeUndefined();
  });

  it('pins the origin header to a secret version during a rotation', () => {
    // The rotation's deploy step: -c originSecretVersion=<VersionId> changes the header, so CloudFront is updated.
    const stack = new Stack(new App(), 'Rotation');
    const version = '0f0e0d0c-0b0a-4908-8706-050403020100';
    const pinned = new OriginSecret(stack, 'Pinned', { removalPolicy: RemovalPolicy.DESTROY, versionId: version });
    expect(JSON.stringify(stack.resolve(pinned.headerValue))).toContain(`:SecretString:current::${version}}}`);
    expect(() => stageConfig(new App({ context: { originSecretVersion: 'AWSCURRENT' } }).node)).toThrow(/version id/);
  });

  it('switches the origin check on in every API function, and gives the secret to nobody else', () => {
    const secret = logicalId(dev.stack, dev.stack.originSecret.secret);
    const readers = allStatements(dev.template)
      .filter((s) => actionsOf(s.statement).includes('secretsmanager:GetSecretValue') && JSON.stringify(resourcesOf(s.statement)).includes(`"${secret}"`))
      .flatMap((s) => s.roles);
    expect(readers.sort()).toEqual(API_FUNCTIONS.map((name) => fnIds(dev.stack, name).role).sort());
    for (const name of ALL_FUNCTIONS) {
      const vars = (dev.template.toJSON().Resources[fnIds(dev.stack, name).fn].Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      if ((API_FUNCTIONS as readonly string[]).includes(name)) expect(vars['ORIGIN_SECRET_ARN'], name).toEqual({ Ref: secret });
      else expect(vars['ORIGIN_SECRET_ARN'], name).toBeUndefined();
    }
  });

  it('reserves concurrency for intake, track and the channel webhooks only, from the stage configuration', () => {
    for (const s of [dev, prod]) {
      const reserved = reservedConcurrency(s.stack.config.publicConcurrency);
      for (const name of ALL_FUNCTIONS) {
        const props = s.template.toJSON().Resources[fnIds(s.stack, name).fn].Properties as { ReservedConcurrentExecutions?: number };
        expect(props.ReservedConcurrentExecutions, name).toBe(name in PUBLIC_FUNCTIONS ? reserved[name] : undefined);
      }
      const total = Object.values(reserved).reduce((a, b) => a + b, 0);
      expect(ACCOUNT_CONCURRENCY - total).toBeGreaterThanOrEqual(MIN_UNRESERVED_CONCURRENCY);
    }
    expect(prod.template.toJSON().Resources[fnIds(prod.stack, 'intake').fn].Properties.ReservedConcurrentExecutions).toBe(100);
  });

  it('refuses reservations that would leave fewer than 100 unreserved executions', () => {
    expect(() => reservedConcurrency({ intake: 600, track: 200, channel: 60 })).toThrow(/fewer than 100/);
    expect(() => reservedConcurrency({ intake: 600, track: 200, channel: 50 })).not.toThrow();
  });
});

/** A CloudFormation value as text: `Ref` → `@Id@`, `Fn::GetAtt` → `@Id.Attr@`, `Fn::Join` joined. */
function tokenText(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if (v['Ref'] !== undefined) return `@${String(v['Ref'])}@`;
  if (Array.isArray(v['Fn::GetAtt'])) return `@${(v['Fn::GetAtt'] as string[]).join('.')}@`;
  if (Array.isArray(v['Fn::Join'])) {
    const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(tokenText).join(sep);
  }
  throw new Error(`Unexpected CloudFormation value ${JSON.stringify(value)}`);
}

/** An AwsCustomResource call as written in the template (a JSON string with tokens), parsed. */
function sdkCall(value: unknown): { service: string; action: string; parameters: Record<string, unknown> } {
  return JSON.parse(tokenText(value)) as { service: string; action: string; parameters: Record<string, unknown> };
}
