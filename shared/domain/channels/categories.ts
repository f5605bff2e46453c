/**
 * The complaint categories an inbound message may name or be read as (SPEC “Category taxonomy”, seed 002
 * “邮政业务常见投诉类型”, seed 003 投诉类型分析), in the SMS reader's tie-break priority order
 * (`detectCategory`, sms-text.ts). A module of its own: the IVR webhook's schema needs the list, not the
 * SMS reader's vocabulary, which a module import would evaluate (decision 074).
 */
import type { Category } from '../model.ts';

export const COMPLAINT_CATEGORIES = [
  'loss',
  'damage',
  'wrong_delivery',
  'delay',
  'privacy',
  'harassment',
  'attitude',
  'notification',
  'fee',
  'other',
] as const satisfies readonly Category[];
