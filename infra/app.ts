/**
 * `cdk` entry (cdk.json: `npx tsx infra/app.ts`). Parameters come as context:
 * `npx cdk deploy -c stage=prod -c sesIdentity=example.cn …` (docs/deploy.md lists them all).
 */
import { App } from 'aws-cdk-lib';
import { assemble } from './assemble.ts';

assemble(new App());
