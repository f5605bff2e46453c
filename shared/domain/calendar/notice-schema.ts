/**
 * The body of a State Council holiday notice as an admin loads it, and a stored version of it: apart from
 * the checks and the calendar built from it (`notice.ts`), because every function's runtime cache
 * validates the stored notices and should not bundle the holiday files for that (decision 064).
 */
import * as z from '../zod.ts';
import { localDateString } from './calendar.ts';

/** 国办发明电〔2025〕7号 — the numbering the General Office uses for these notices. */
const NOTICE_NUMBER = /^国办发明电〔\d{4}〕\d{1,3}号$/;

/** The body of `PUT /admin/calendar/{year}`. */
export const CalendarNoticeSchema = z.strictObject({
  number: z.string().check(z.regex(NOTICE_NUMBER, 'expected the notice number as 国办发明电〔YYYY〕N号')),
  url: z.url({ protocol: /^https?$/ }).check(z.refine((u) => /^https?:\/\/([a-z0-9-]+\.)*gov\.cn(\/|$)/i.test(u), 'expected the notice on gov.cn')),
  publishedAt: localDateString,
  holidays: z
    .array(z.strictObject({ name: z.string().check(z.trim()).check(z.minLength(1)).check(z.maxLength(20)), from: localDateString, to: localDateString }))
    .check(z.minLength(1)),
  makeupWorkdays: z.array(localDateString),
});
/** A notice as an admin sends it. */
export type CalendarNotice = z.infer<typeof CalendarNoticeSchema>;

/** One stored version of a year's notice. */
export interface NoticeVersion {
  year: number;
  version: number;
  notice: CalendarNotice;
  loadedBy: string;
  loadedAt: string;
}
