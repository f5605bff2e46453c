/**
 * The single table, built from `TABLE` in `shared/store/table.ts` (the same object the local stack and
 * the integration tests create their table from): keys, every GSI and its projection, TTL.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table, TableEncryption, type GlobalSecondaryIndexProps } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE, type IndexDefinition } from '#store/table.ts';

export interface ComplaintTableProps {
  /** Production: deletion protection and RETAIN; otherwise DESTROY with the stack. */
  retain: boolean;
  contributorInsights: boolean;
}

/** Every key attribute is a string (`createTableInput` declares them all `S`). */
const key = (name: string) => ({ name, type: AttributeType.STRING });

function indexProps(index: IndexDefinition): GlobalSecondaryIndexProps {
  const base = { indexName: index.indexName, partitionKey: key(index.partitionKey), sortKey: key(index.sortKey) };
  switch (index.projection.type) {
    case 'ALL':
      return { ...base, projectionType: ProjectionType.ALL };
    case 'KEYS_ONLY':
      return { ...base, projectionType: ProjectionType.KEYS_ONLY };
    case 'INCLUDE':
      return { ...base, projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...index.projection.nonKeyAttributes] };
  }
}

export class ComplaintTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: ComplaintTableProps) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: key(TABLE.partitionKey),
      sortKey: key(TABLE.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: TABLE.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // docs/decisions/011: the AWS managed key (aws/dynamodb) — KMS-audited, no key policy to run.
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: props.retain,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      ...(props.contributorInsights && { contributorInsightsSpecification: { enabled: true } }),
      // The outbox dispatcher's feed (decision 051); the stream filter needs the new image's GSI6PK.
      stream: StreamViewType.NEW_IMAGE,
    });
    for (const index of TABLE.indexes as readonly IndexDefinition[]) this.table.addGlobalSecondaryIndex(indexProps(index));
  }
}
