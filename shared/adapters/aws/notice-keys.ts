/**
 * The keys that sign the leaders' notice confirm links (decision 049), like the webhook secrets:
 * `NOTICE_SECRET_ARN` (a Secrets Manager JSON secret `{"current": "...", "previous": "..."}`, cached
 * five minutes), else `NOTICE_SECRETS` (comma-separated, newest first), else — outside Lambda only —
 * the local development key. In Lambda a missing key is a deployment error, never "sign with anything".
 */
import type { NoticeKeys } from '#app/ports.ts';
import { secretsFromSecretsManager } from './secrets.ts';

/** The local stack and the tests sign confirm links with this unless NOTICE_SECRETS is set. */
export const LOCAL_NOTICE_SECRET = 'local-notice-secret-for-development';

export function noticeKeysFromEnv(env: NodeJS.ProcessEnv = process.env): NoticeKeys {
  return {
    keys: async () => {
      const arn = env['NOTICE_SECRET_ARN'];
      if (arn) return secretsFromSecretsManager(arn);
      const listed = env['NOTICE_SECRETS']
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (listed && listed.length > 0) return listed;
      if (env['AWS_LAMBDA_FUNCTION_NAME']) throw new Error('No notice secret configured (NOTICE_SECRET_ARN)');
      return [LOCAL_NOTICE_SECRET];
    },
  };
}
