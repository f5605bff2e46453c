/** The real Lambda handlers, by function name, for the local stack (one code path with AWS). */
import type { Context } from 'aws-lambda';
import { handler as admin } from '#functions/admin/handler.ts';
import { handler as assignment } from '#functions/assignment/handler.ts';
import { handler as callback } from '#functions/callback/handler.ts';
import { handler as caseActions } from '#functions/case-actions/handler.ts';
import { handler as channelIvr } from '#functions/channel-ivr/handler.ts';
import { handler as channelSms } from '#functions/channel-sms/handler.ts';
import { handler as compensation } from '#functions/compensation/handler.ts';
import { handler as contact } from '#functions/contact/handler.ts';
import { handler as intake } from '#functions/intake/handler.ts';
import { handler as notices } from '#functions/notices/handler.ts';
import { handler as qualityActions } from '#functions/quality-actions/handler.ts';
import { handler as read } from '#functions/read/handler.ts';
import { handler as reports } from '#functions/reports/handler.ts';
import { handler as reply } from '#functions/reply/handler.ts';
import { handler as track } from '#functions/track/handler.ts';
import type { ApiEvent, ApiResult } from '#http/handler.ts';
import type { ApiFunction } from '#http/routes.ts';

export type ApiLambda = (event: ApiEvent, context: Context) => Promise<ApiResult>;

export const API_HANDLERS: Record<ApiFunction, ApiLambda> = {
  intake,
  read,
  track,
  assignment,
  contact,
  reply,
  callback,
  'case-actions': caseActions,
  'quality-actions': qualityActions,
  'channel-sms': channelSms as ApiLambda,
  'channel-ivr': channelIvr,
  compensation,
  notices,
  admin,
  reports,
};
