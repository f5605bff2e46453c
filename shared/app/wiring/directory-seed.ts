/**
 * The deploy-time directory seed (decision 056): the custom resource's one use case, wired to the table
 * alone. It reads nothing — conditional PutItems on the `DIR` partition only (`shared/store/directory-seed.ts`),
 * which is all its role may do.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { checkDirectorySeed } from '#domain/directory-entries.ts';
import { seedDirectory } from '#store/directory-seed.ts';
import type { SeedOutcome } from '../directory-ports.ts';
import { clock } from './registry.ts';

/** Seeds the table of `TABLE_NAME` with `raw` if it holds no directory; audited as "seeded at deploy by <stack>". */
export async function seedAtDeploy(raw: unknown, stackName: string): Promise<SeedOutcome> {
  const { entries, issues } = checkDirectorySeed(raw);
  // Checked at synth time already; checked again so a hand-edited template cannot seed a broken directory.
  if (!entries) throw new Error(`The directory seed is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  const tableName = process.env['TABLE_NAME'];
  if (!tableName) throw new Error('TABLE_NAME is not set');
  const endpoint = process.env['DYNAMODB_ENDPOINT'];
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient(endpoint ? { endpoint } : {}), { marshallOptions: { removeUndefinedValues: true } });
  return seedDirectory(doc, tableName, entries, { at: clock().now().toISOString(), by: `deploy:${stackName}`, note: `seeded at deploy by ${stackName}` });
}
