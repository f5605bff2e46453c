/**
 * Predicts a year's holiday arrangement (放假调休) before the State Council publishes it, from the
 * statutory days of the 2024 全国年节及纪念日放假办法 (in force since 2025) and the rules its notices
 * for 2025 and 2026 follow. The rules, and how they score on 2025 and 2026, are in
 * `docs/decisions/040-provisional-holidays.md`. Pure: dates in, dates out.
 */
import type { LunarFestivals } from './lunar.ts';

const DAY_MS = 86_400_000;

/** A dated entry as in `holidays-cn.json`. */
export interface DatedEntry {
  date: string;
  name: string;
}

/** One festival's statutory days (法定假日) as the 2024 放假办法 grants them. */
export interface StatutoryFestival {
  name: string;
  /** Statutory days, ascending `YYYY-MM-DD`. */
  days: string[];
}

/** A predicted arrangement: the statutory days it rests on, the days off and the make-up working days. */
export interface PredictedYear {
  statutory: DatedEntry[];
  holidays: DatedEntry[];
  makeupWorkdays: DatedEntry[];
}

const toDay = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const toIso = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** 0 = Sunday … 6 = Saturday. */
const weekday = (day: number): number => (((day + 4) % 7) + 7) % 7;
const isWeekend = (day: number): boolean => weekday(day) === 0 || weekday(day) === 6;
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * The statutory days of `year` (2024 放假办法 第二条): 元旦 1, 春节 4 from 除夕, 清明 1, 劳动节 2
 * (1–2 May), 端午 1, 中秋 1, 国庆 3 (1–3 October).
 */
export function statutoryFestivals(year: number, lunar: LunarFestivals): StatutoryFestival[] {
  const eve = toDay(lunar.newYearsEve);
  return [
    { name: '元旦', days: [`${year}-01-01`] },
    { name: '春节', days: range(eve, eve + 3).map(toIso) },
    { name: '清明节', days: [lunar.qingming] },
    { name: '劳动节', days: [`${year}-05-01`, `${year}-05-02`] },
    { name: '端午节', days: [lunar.dragonBoat] },
    { name: '中秋节', days: [lunar.midAutumn] },
    { name: '国庆节', days: [`${year}-10-01`, `${year}-10-02`, `${year}-10-03`] },
  ];
}

/** A break to plan: its statutory days, the window length and how the window is placed. */
interface Break {
  name: string;
  statutory: number[];
  length: number;
  /** `from_first`: the window starts on the first statutory day; `fewest_weekdays`: see rule 3. */
  placement: 'from_first' | 'fewest_weekdays' | 'single_day';
}

/**
 * Rule 1 (single-day holidays: 元旦, 清明, 端午, 中秋 — 原则上与周末连休): Friday → Fri–Sun;
 * Saturday, Sunday or Monday → Sat–Mon (a holiday on a weekend day is made up on the Monday);
 * Tuesday → Sun–Tue and Thursday → Thu–Sat, each with one make-up day; Wednesday → that day only.
 */
function singleDayWindow(day: number): [number, number] {
  switch (weekday(day)) {
    case 5:
      return [day, day + 2];
    case 6:
      return [day, day + 2];
    case 0:
      return [day - 1, day + 1];
    case 1:
      return [day - 2, day];
    case 2:
      return [day - 2, day];
    case 4:
      return [day, day + 2];
    default:
      return [day, day];
  }
}

function windowOf(b: Break): [number, number] {
  const first = b.statutory[0]!;
  const last = b.statutory[b.statutory.length - 1]!;
  if (b.placement === 'single_day') return singleDayWindow(first);
  if (b.placement === 'from_first') return [first, first + b.length - 1];
  // Rule 3 (劳动节 5 days): of the windows holding the statutory days, the one with the fewest
  // weekdays (fewest make-up days), then the one starting closest to 1 May.
  let best: [number, number] = [first, first + b.length - 1];
  let bestScore = Infinity;
  for (let start = last - b.length + 1; start <= first; start++) {
    const weekdays = range(start, start + b.length - 1).filter((d) => !isWeekend(d)).length;
    const score = weekdays * 100 + Math.abs(start - first);
    if (score < bestScore) [best, bestScore] = [[start, start + b.length - 1], score];
  }
  return best;
}

/**
 * The weekend day before the window that becomes a working day (rule 4): the Saturday when the
 * window starts on Sunday or Monday (the Sunday joins the break), else the last Sunday before it.
 */
const beforeCandidate = (start: number): number => {
  const wd = weekday(start);
  if (wd === 0) return start - 1;
  if (wd === 1) return start - 2;
  return start - (wd === 6 ? 6 : wd);
};

/** Mirror of {@link beforeCandidate}: the Sunday when the window ends on Friday or Saturday, else the next Saturday. */
const afterCandidate = (end: number): number => {
  const wd = weekday(end);
  if (wd === 6) return end + 1;
  if (wd === 5) return end + 2;
  return end + (wd === 0 ? 6 : 6 - wd);
};

/**
 * Predicts the arrangement of one year's festivals (see the decision for the rules and their
 * score on the published 2025 and 2026 notices). A break may reach into a neighbouring year (元旦
 * on a Tuesday: the make-up Saturday is in December); the caller files each date under its own year.
 */
export function predictYear(festivals: readonly StatutoryFestival[]): PredictedYear {
  const byName = new Map(festivals.map((f) => [f.name, f.days.map(toDay)]));
  const get = (name: string): number[] => byName.get(name) ?? [];
  const breaks: Break[] = [];
  const statutory: DatedEntry[] = festivals.flatMap((f) => f.days.map((date) => ({ date, name: f.name })));

  breaks.push({ name: '元旦', statutory: get('元旦'), length: 3, placement: 'single_day' });
  // Rule 2 (春节): 自除夕起放假调休共 8 天 (State Council, 2024 修订说明).
  breaks.push({ name: '春节', statutory: get('春节'), length: 8, placement: 'from_first' });
  breaks.push({ name: '清明节', statutory: get('清明节'), length: 3, placement: 'single_day' });
  breaks.push({ name: '劳动节', statutory: get('劳动节'), length: 5, placement: 'fewest_weekdays' });
  breaks.push({ name: '端午节', statutory: get('端午节'), length: 3, placement: 'single_day' });
  // Rule 5 (国庆节 7 days from 1 October; with 中秋 between 30 September and 8 October the two
  // make one 8-day break, 国庆节、中秋节, as in 2025; a 中秋 on 1–3 October adds 4 October).
  const national = get('国庆节');
  const midAutumn = get('中秋节')[0];
  const oct1 = national[0]!;
  if (midAutumn !== undefined && midAutumn >= oct1 - 1 && midAutumn <= oct1 + 7) {
    const days = new Set(national);
    days.add(days.has(midAutumn) ? oct1 + 3 : midAutumn);
    const sorted = [...days].sort((a, b) => a - b);
    breaks.push({ name: '国庆节、中秋节', statutory: sorted, length: 8, placement: 'from_first' });
  } else {
    if (midAutumn !== undefined) breaks.push({ name: '中秋节', statutory: [midAutumn], length: 3, placement: 'single_day' });
    breaks.push({ name: '国庆节', statutory: national, length: 7, placement: 'from_first' });
  }

  const off = new Map<number, string>();
  const work = new Map<number, string>();
  const windows = breaks.filter((b) => b.statutory.length > 0).map((b) => ({ b, w: windowOf(b) }));
  for (const { b, w } of windows) for (const d of range(w[0], w[1])) off.set(d, b.name);

  const taken = (d: number): boolean => off.has(d) || work.has(d);
  for (const { b, w } of windows) {
    const weekdays = range(w[0], w[1]).filter((d) => !isWeekend(d)).length;
    let needed = Math.max(0, weekdays - b.statutory.length);
    // Rule 4: make-up days sit on the weekends next to the break; with one, a weekend split by the
    // window's edge gives its other day, otherwise the side that evens out the working stretches.
    let before = beforeCandidate(w[0]);
    let after = afterCandidate(w[1]);
    while (taken(before)) before -= 7;
    while (taken(after)) after += 7;
    const sides: number[] = [];
    if (needed === 1) {
      if (weekday(w[0]) === 0) sides.push(before);
      else if (weekday(w[1]) === 6) sides.push(after);
      else sides.push(stretch(w, before, off) < stretch(w, after, off) ? before : after);
    } else {
      while (needed > 0) {
        sides.push(sides.length % 2 === 0 ? before : after);
        if (sides.length % 2 === 0) {
          before -= 7;
          after += 7;
        }
        needed--;
      }
    }
    for (const d of sides) work.set(d, `${b.name}调休`);
  }

  // Weekend days touching a break and not made working days are listed with it (2026: 2月15日).
  for (const { b, w } of windows) {
    for (let d = w[0] - 1; isWeekend(d) && !taken(d); d--) off.set(d, b.name);
    for (let d = w[1] + 1; isWeekend(d) && !taken(d); d++) off.set(d, b.name);
  }

  const entries = (m: Map<number, string>): DatedEntry[] => [...m.entries()].sort(([a], [b]) => a - b).map(([d, name]) => ({ date: toIso(d), name }));
  return { statutory, holidays: entries(off), makeupWorkdays: entries(work) };
}

/**
 * The longer of the two working stretches (days in a row) next to the window once `makeup` is a
 * working day: the one ending the day before the window and the one starting the day after.
 */
function stretch(w: [number, number], makeup: number, off: ReadonlyMap<number, string>): number {
  const working = (d: number): boolean => d === makeup || (!off.has(d) && !isWeekend(d));
  let before = 0;
  for (let d = w[0] - 1; working(d); d--) before++;
  let after = 0;
  for (let d = w[1] + 1; working(d); d++) after++;
  return Math.max(before, after);
}

/** A day whose working status the prediction gets wrong. */
export interface Miss {
  date: string;
  predicted: 'off' | 'working';
  official: 'off' | 'working';
}

/**
 * The days of `year` whose working status differs between a prediction and the official
 * notice (a weekend day listed as holiday in one and plainly off in the other is no miss).
 */
export function missedDays(
  year: number,
  predicted: Pick<PredictedYear, 'holidays' | 'makeupWorkdays'>,
  official: Pick<PredictedYear, 'holidays' | 'makeupWorkdays'>,
): Miss[] {
  const status = (a: Pick<PredictedYear, 'holidays' | 'makeupWorkdays'>, d: number): 'off' | 'working' => {
    const iso = toIso(d);
    if (a.holidays.some((e) => e.date === iso)) return 'off';
    if (a.makeupWorkdays.some((e) => e.date === iso)) return 'working';
    return isWeekend(d) ? 'off' : 'working';
  };
  const out: Miss[] = [];
  for (let d = toDay(`${year}-01-01`); toIso(d).startsWith(`${year}-`); d++) {
    const p = status(predicted, d);
    const o = status(official, d);
    if (p !== o) out.push({ date: toIso(d), predicted: p, official: o });
  }
  return out;
}
