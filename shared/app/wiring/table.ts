/**
 * The table of a Lambda, from its environment (`TABLE_NAME`, `DYNAMODB_ENDPOINT`): one DynamoDB
 * client and one complaint-records store per container, shared by every factory that needs them.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoComplaintRecords } from '#store/complaint-records.ts';

/** The document client every store uses: `undefined` attributes are left out, never written. */
export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export interface TableWiring {
  doc: DynamoDBDocumentClient;
  tableName: string;
  /** The complaint records (no lists: the functions that list build `DynamoComplaintStore` themselves). */
  store: DynamoComplaintRecords;
}

let built: TableWiring | undefined;

/** Built on first use (not at import): a bundle loads without `TABLE_NAME`, and fails clearly when called. */
export function tableFromEnv(): TableWiring {
  if (built) return built;
  const tableName = process.env['TABLE_NAME'];
  if (!tableName) throw new Error('TABLE_NAME is not set');
  const endpoint = process.env['DYNAMODB_ENDPOINT'];
  const doc = documentClient(new DynamoDBClient(endpoint ? { endpoint } : {}));
  built = { doc, tableName, store: new DynamoComplaintRecords(doc, tableName) };
  return built;
}
