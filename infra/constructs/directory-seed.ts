/**
 * The deploy-time directory seed (decision 056): a `Custom::DirectorySeed` resource (CDK Provider
 * framework) whose handler, `functions/directory-seed`, writes the `-c directorySeed` file into the
 * table's `DIR` partition only while the table holds no directory. Least privilege: the handler's role
 * may `dynamodb:PutItem` on the table, for items of the `DIR` partition only (`dynamodb:LeadingKeys`), and
 * nothing else — no read, no update, no delete; every put it makes is conditional. The seed travels as a
 * resource property (JSON), so a changed file is an Update, which the handler answers with `kept` once
 * the table holds a directory.
 */
import { CustomResource, Duration, Stack, type RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { DirectoryEntries } from '#domain/directory-entries.ts';
import { DIRECTORY_PARTITION } from '#store/keys.ts';
import { acknowledge, acknowledgeWildcard } from '../nag.ts';
import { functionEntry } from './bundling.ts';
import { ComplaintFunction } from './lambda-function.ts';

export interface DirectorySeedProps {
  table: ITable;
  entries: DirectoryEntries;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
}

export class DirectorySeed extends Construct {
  readonly handler: ComplaintFunction;
  readonly provider: Provider;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: DirectorySeedProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.handler = new ComplaintFunction(this, 'Handler', {
      name: 'directory-seed',
      entry: functionEntry('directory-seed'),
      table: props.table,
      tableAccess: 'none',
      // A few hundred conditional puts; the Provider framework waits up to its own total timeout.
      timeout: Duration.minutes(5),
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.handler.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem'],
        resources: [props.table.tableArn],
        conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [DIRECTORY_PARTITION] } },
      }),
    );

    // The framework's own function gets an explicit role (its log group only) instead of AWSLambdaBasicExecutionRole.
    const frameworkLogs = new LogGroup(this, 'ProviderLogs', { retention: props.logRetention, removalPolicy: props.removalPolicy });
    const frameworkRole = new Role(this, 'ProviderRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'complaint-loop directory-seed provider framework',
    });
    frameworkLogs.grantWrite(frameworkRole);
    this.provider = new Provider(this, 'Provider', { onEventHandler: this.handler.fn, frameworkOnEventRole: frameworkRole, logGroup: frameworkLogs });

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.provider.serviceToken,
      resourceType: 'Custom::DirectorySeed',
      // A JSON string: CloudFormation would turn every other value into a string (false → "false").
      properties: { Seed: JSON.stringify(props.entries), StackName: stack.stackName },
    });

    const why = 'CDK custom-resources Provider framework function, which only invokes the directory-seed handler at deploy time';
    acknowledgeWildcard(
      frameworkRole,
      `${this.handler.fn.functionArn}:*`,
      `${why}: CDK grants lambda:InvokeFunction on the handler and its versions (<arn>:*), the one function it calls.`,
    );
    const framework = this.provider.node.tryFindChild('framework-onEvent');
    if (framework) acknowledge(framework, 'AwsSolutions-L1', `${why}; CDK pins its Node.js runtime.`);
  }
}
