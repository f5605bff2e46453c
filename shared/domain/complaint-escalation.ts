/**
 * 投诉升级 (escalated complaint, SPEC "Intake"; seed 000_a1eb924360c3e548.txt 四(二)2): a complaint
 * that reaches an upper level or a regulator (12305, 12345, 12315, 省公司, 集团公司, 信访, media), or
 * whose complainant says they have gone or will go there. Not to be confused with the SLA
 * escalations (`escalation.ts`), which are e-mails about overdue deadlines.
 *
 * Pure: the use case decides whether the sender may escalate at all (decision 043 — a public,
 * unverified repeat may not); this module only reads what the repeat or chase says.
 */
import type { Channel, Source } from './model.ts';
import { findSeverityCues, type CueKind } from './severity.ts';

/** Why an open case is escalated: a transfer from the body itself, or a threat to go there. */
export interface EscalationSignal {
  via: 'transfer' | 'threat';
  /** The transferring body's case number (e.g. a 12305 number), kept with every earlier one. */
  externalRef?: string;
  /** The regulator/media keywords found in the text, in text order. */
  cues: string[];
}

/** Cue kinds that name an upper level, a regulator or the media: the 投诉升级 bodies of the SPEC. */
const ESCALATION_CUES: ReadonlySet<CueKind> = new Set<CueKind>(['regulator', 'media']);

/** What a repeat says: how it came in and its text. */
export interface EscalationInput {
  source?: Source;
  channel?: Channel;
  externalRef?: string;
  text: string;
}

/** The 投诉升级 in a repeat or chase, if any: a transfer/external source, or regulator/media cues in its text. */
export function escalationSignal(input: EscalationInput): EscalationSignal | undefined {
  const cues = findSeverityCues(input.text)
    .filter((c) => ESCALATION_CUES.has(c.kind))
    .map((c) => c.keyword);
  const transfer = input.source === 'external' || input.channel === 'transfer';
  if (!transfer && cues.length === 0) return undefined;
  return { via: transfer ? 'transfer' : 'threat', cues, ...(input.externalRef !== undefined && { externalRef: input.externalRef }) };
}
