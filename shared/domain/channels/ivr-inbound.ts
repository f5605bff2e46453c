/**
 * The IVR door's payloads (`inbound.ts` has what the doors share): the menu `shared/config/ivr-menu.json`,
 * and the webhook the IVR platform posts for each finished call, whose DTMF menu path is mapped to a
 * category by the menu. The parser never throws on bad input.
 */
import * as z from '../zod.ts';
import menuJson from '#config/ivr-menu.json' with { type: 'json' };
import { normalizePhone, normalizeText, phoneProblem } from '#domain/channels/normalize.ts';
import type { ComplaintCategory } from '#domain/channels/sms-text.ts';
import type { Kind } from '#domain/model.ts';
import { IsoDateTime, PhoneSchema, ProviderId, type ParseResult, validate } from './inbound.ts';

// ---------------------------------------------------------------------------------------------------------
// IVR menu
// ---------------------------------------------------------------------------------------------------------

/** One DTMF key as the IVR reports it. */
export const DtmfKey = z.string().check(z.regex(/^[0-9*#]$/, 'a single DTMF key: 0–9, * or #'));

/**
 * One entry of the IVR menu: a branch (`options`) or a leaf (`category`, or `action: "agent"`). `kind`
 * (受理类型) holds for the entry and everything below it; the default is `complaint`.
 */
export interface IvrMenuNode {
  label: string;
  prompt?: string;
  kind?: Kind;
  category?: ComplaintCategory;
  action?: 'agent';
  options?: Record<string, IvrMenuNode>;
}

/** The IVR menu file `shared/config/ivr-menu.json`, as `IvrMenuSchema` (`ivr-menu.ts`) validates it. */
export interface IvrMenu {
  version: 1;
  greeting: string;
  prompt: string;
  options: Record<string, IvrMenuNode>;
}

/**
 * The deployed menu, bundled as the file is. It is checked against `IvrMenuSchema` (`ivr-menu.ts`) before it
 * can ship: `cdk synth` refuses a menu that fails it (`assertIvrMenu`, called by `infra/assemble.ts`), and so
 * do the unit tests. So a broken menu never reaches a caller, and the IVR function does not carry the
 * menu's schema (issue 10 item 3).
 *
 * 1 邮件问题 → 1 丢失 2 延误 3 损毁/内件短少 4 投递不规范; 2 服务问题 → 1 态度 2 未通知; 3 资费; 4 其他;
 * 5 邮件查询 (kind inquiry); 6 意见建议 (kind feedback); 0 人工 — seed 000's 三来: 投诉、查询、意见反映.
 * Seed 004 (004_13dcb525fbc75c1b.txt) describes the same shape of 400-line menu (“用户按需求选择服务…
 * 投诉建议…切换到客服接听”); the categories are those of seed 002 (002_16700b939b2bfea6.txt).
 */
export const IVR_MENU: IvrMenu = menuJson as IvrMenu;

/** Where a menu path led, see {@link resolveIvrMenuPath}. */
export interface IvrMenuResolution {
  /** The path ended on a leaf of the menu. */
  matched: boolean;
  /** The leaf's category; `other` when the path did not reach a category leaf. */
  category: ComplaintCategory;
  /** 受理类型: the `kind` of the deepest entry visited that has one, else `complaint`. */
  kind: Kind;
  /** Labels of the entries visited, e.g. `['邮件问题', '邮件丢失']`. */
  labels: string[];
  /** The caller chose the operator (0 人工服务). */
  agentRequested: boolean;
}

/**
 * Maps a DTMF path to a category.
 *
 * Decision: a path that does not lead to a category — an unknown key (`['9']`, `['1','7']`), a path that
 * stops on a branch (`['1']`, the caller hung up before choosing), an empty path, or the operator (`['0']`) —
 * is category `other` with `matched: false` (operator: `matched: true, agentRequested: true`), NOT an error:
 * the caller did call to complain, the provider would not retry a rejected webhook, and an agent classifies
 * `other` anyway. Keys after a leaf are ignored (the IVR moved on to the next prompt, e.g. waybill entry).
 */
export function resolveIvrMenuPath(path: readonly string[], menu: IvrMenu = IVR_MENU): IvrMenuResolution {
  const labels: string[] = [];
  let kind: Kind = 'complaint';
  let options: Record<string, IvrMenuNode> | undefined = menu.options;
  for (const key of path) {
    const node: IvrMenuNode | undefined = options?.[key];
    if (node === undefined) break;
    labels.push(node.label);
    kind = node.kind ?? kind;
    if (node.category !== undefined) return { matched: true, category: node.category, kind, labels, agentRequested: false };
    if (node.action === 'agent') return { matched: true, category: 'other', kind, labels, agentRequested: true };
    options = node.options;
  }
  return { matched: false, category: 'other', kind, labels, agentRequested: false };
}

// ---------------------------------------------------------------------------------------------------------
// IVR webhook
// ---------------------------------------------------------------------------------------------------------

/** Caller-id values IVR platforms send for a withheld number. */
const WITHHELD = new Set(['', 'anonymous', 'unknown', 'private', 'withheld', 'restricted', 'unavailable', '匿名', '未知', '隐藏']);

/**
 * Body of the IVR webhook. `callerNumber` is E.164, or `null` when caller id was withheld (then only
 * `callbackNumber`, keyed in by the caller, can reach them). `waybillNo` is kept as keyed/recognised,
 * normalised (half-width, upper case, no spaces or hyphens) but not rejected when it looks wrong: the
 * agent confirms it on the callback.
 */
export const IvrWebhookSchema = z.object({
  callId: ProviderId,
  callerNumber: z.pipe(
    z.string().check(z.trim()).check(z.maxLength(32)),
    z.transform((raw, ctx): string | null => {
      if (WITHHELD.has(raw.toLowerCase())) return null;
      const e164 = normalizePhone(raw);
      if (e164 === undefined) {
        ctx.issues.push({ code: 'custom', message: `${phoneProblem(raw) ?? 'not a phone number'}, nor a withheld caller id`, input: raw });
        return z.NEVER;
      }
      return e164;
    }),
  ),
  menuPath: z.array(DtmfKey).check(z.maxLength(10)),
  waybillNo: z.optional(
    z.pipe(
      z.pipe(
        z.string().check(z.maxLength(40)),
        z.transform((raw) => normalizeText(raw).toUpperCase().replace(/[\s-]/g, '')),
      ),
      z.string().check(z.regex(/^[A-Z0-9]{1,40}$/, 'letters and digits only')),
    ),
  ),
  recordingUrl: z.optional(z.url({ protocol: /^https?$/ })),
  transcript: z.optional(z.string().check(z.maxLength(20_000))),
  callbackNumber: z.optional(PhoneSchema),
  startedAt: IsoDateTime,
});

/** A parsed IVR webhook body. */
export type IvrWebhook = z.output<typeof IvrWebhookSchema>;

/** A parsed IVR call with its menu resolution. */
export interface IvrInbound extends IvrWebhook {
  /** Category from the menu path (`other` when the path did not reach a category). */
  category: ComplaintCategory;
  /** 受理类型 from the menu path (`complaint` unless the caller chose 查询 or 意见建议). */
  kind: Kind;
  menu: IvrMenuResolution;
}

/** Validates an IVR webhook body and maps its menu path to a category. */
export function parseIvrWebhook(body: unknown, menu: IvrMenu = IVR_MENU): ParseResult<IvrInbound> {
  const result = validate(IvrWebhookSchema, body);
  if (!result.ok) return result;
  const resolution = resolveIvrMenuPath(result.value.menuPath, menu);
  return { ok: true, value: { ...result.value, category: resolution.category, kind: resolution.kind, menu: resolution } };
}
