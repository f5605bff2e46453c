/**
 * The `Custom::DirectorySeed` resource's handler (CDK Provider framework, decision 056): on Create and
 * Update it writes the stack's directory seed into the table's `DIR` partition — only while the table
 * holds no directory, so a redeploy never overwrites what admins changed — and answers `seeded` or `kept`.
 * On Delete it does nothing: the directory belongs to the table, not to the resource.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { log } from '#adapters/log.ts';
import { seedAtDeploy } from '#app/wiring/directory-seed.ts';

/** One physical id for ever: an Update (a changed seed file) never makes CloudFormation delete the "old" one. */
export const PHYSICAL_ID = 'complaint-loop-directory-seed';

export interface SeedResponse {
  PhysicalResourceId: string;
  Data?: { Outcome: 'seeded' | 'kept'; Written: number; Seed: string };
}

export const handler = async (event: CloudFormationCustomResourceEvent): Promise<SeedResponse> => {
  if (event.RequestType === 'Delete') {
    log.info('directory seed resource deleted: the directory stays in the table', { stackId: event.StackId });
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const props = event.ResourceProperties as { Seed?: unknown; StackName?: unknown };
  if (typeof props.Seed !== 'string' || typeof props.StackName !== 'string')
    throw new Error('Custom::DirectorySeed needs the properties Seed (JSON) and StackName');
  const result = await seedAtDeploy(JSON.parse(props.Seed) as unknown, props.StackName);
  log.info(result.outcome === 'seeded' ? 'directory seeded at deploy' : 'directory kept: the table already holds one', {
    requestType: event.RequestType,
    stack: props.StackName,
    written: result.written,
    seed: result.seed,
  });
  return { PhysicalResourceId: PHYSICAL_ID, Data: { Outcome: result.outcome, Written: result.written, Seed: result.seed } };
};
