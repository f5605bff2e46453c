/**
 * The one way a Lambda is defined: `NodejsFunction` with the shared bundling, its own log group with
 * retention, X-Ray, an explicit role with nothing but its log group, and table access that is read-only
 * unless the caller asks for writes. Every other permission is added by the construct that owns the
 * resource (queue, scheduler, mail, SMS), so a grant is visible next to what it grants.
 */
import { ArnFormat, Duration, Stack, type RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TABLE } from '#store/table.ts';
import { acknowledge } from '../nag.ts';
import { ARCHITECTURE, BUNDLE_ENVIRONMENT, FUNCTION_BUNDLING, PROJECT_ROOT, RUNTIME } from './bundling.ts';

/** What a reader may do: items and index queries; never Scan (STYLE: no Scan on a request path). */
export const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'] as const;
/** What a writer may do in addition: conditional puts and updates. Nothing is ever deleted (SPEC); TTL expires only short-lived items, never a case (decision 065). */
export const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem'] as const;
/** The only actions granted on `Resource: *`: X-Ray has no resource-level permissions. */
export const WILDCARD_RESOURCE_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'] as const;

export interface ComplaintFunctionProps {
  /** `functions/<name>`; also the construct id and the log group's name suffix. */
  name: string;
  entry: string;
  table: ITable;
  /** Read-only unless `write`; `none`: no table grant at all (the caller grants exactly what it needs). */
  tableAccess?: 'read' | 'write' | 'none';
  environment?: Record<string, string>;
  timeout?: Duration;
  memorySize?: number;
  /** A physical name, only where the function's ARN must be known before it exists. */
  functionName?: string;
  /** Where failed asynchronous invocations (scheduler, EventBridge, SNS) end up. */
  deadLetterQueue?: IQueue;
  /** Reserved (and so capped) concurrency, for the functions the internet can reach (decision 038). */
  reservedConcurrentExecutions?: number;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
}

export class ComplaintFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ComplaintFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention, removalPolicy: props.removalPolicy });
    // An explicit role instead of AWSLambdaBasicExecutionRole: logs go to this function's group only.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `complaint-loop ${props.name}`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}/package-lock.json`,
      runtime: RUNTIME,
      architecture: ARCHITECTURE,
      bundling: FUNCTION_BUNDLING,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      ...(props.functionName !== undefined && { functionName: props.functionName }),
      ...(props.deadLetterQueue !== undefined && { deadLetterQueue: props.deadLetterQueue, retryAttempts: 2 }),
      ...(props.reservedConcurrentExecutions !== undefined && { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      environment: {
        ...BUNDLE_ENVIRONMENT,
        TABLE_NAME: props.table.tableName,
        ...props.environment,
      },
    });

    if (props.tableAccess !== 'none') this.grantTable(props.table, props.tableAccess ?? 'read');

    acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions (active tracing); no other statement of this role uses a wildcard resource.',
    );
    acknowledge(
      this.fn,
      'AwsSolutions-L1',
      'nodejs22.x is the runtime this project is built and tested for (package engines, esbuild target node22); nodejs24.x is adopted by changing RUNTIME in infra/constructs/bundling.ts once the code base is tested on Node 24.',
    );
  }

  /** Adds an environment variable (for values produced by constructs created after the function). */
  addEnvironment(key: string, value: string): void {
    this.fn.addEnvironment(key, value);
  }

  /** Item reads on the table and on each index by name (no `index/*` wildcard), writes on the table itself. */
  private grantTable(table: ITable, access: 'read' | 'write'): void {
    const indexArns = TABLE.indexes.map((index) => `${table.tableArn}/index/${index.indexName}`);
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: [...TABLE_READ_ACTIONS], resources: [table.tableArn, ...indexArns] }));
    if (access === 'write') {
      this.role.addToPrincipalPolicy(new PolicyStatement({ actions: [...TABLE_WRITE_ACTIONS], resources: [table.tableArn] }));
    }
  }
}

/** The ARN of a function with a known physical name, without referring to the function resource. */
export function functionArnFor(scope: Construct, functionName: string): string {
  return Stack.of(scope).formatArn({ service: 'lambda', resource: 'function', resourceName: functionName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}
