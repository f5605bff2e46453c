/**
 * The credentials of a deployed function, bundled in place of `@aws-sdk/credential-provider-node`
 * (decision 072). Every SDK client's default chain imports that package, which reaches for SSO, INI files,
 * `credential_process`, web identity, the container and instance metadata endpoints and their own STS/SSO
 * clients — ~95 KB of a function's bundle — while a Lambda function on a managed runtime is handed its
 * role's credentials in the environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
 * `AWS_SESSION_TOKEN`), which is the chain's first link. Only the bundles are aliased
 * (`FUNCTION_BUNDLING`); the local stack and the scripts keep the whole chain.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

type Init = Parameters<typeof fromEnv>[0];

/** The chain's first link alone: the function's role, from the environment Lambda sets. */
export const defaultProvider = (init?: Init) => fromEnv(init);
