/**
 * Just enough astronomy for the Chinese lunisolar calendar of the years this system plans in:
 * new moons (Meeus, *Astronomical Algorithms*, 2nd ed., ch. 49), the Sun's apparent longitude
 * (ch. 25, low-accuracy series, ≈ 0.01° ≈ 15 min) for the solar terms, and the month rules of
 * GB/T 33661-2017 《农历的编算和颁行》: a month starts on the Beijing-time civil day of a new
 * moon; the month holding the winter solstice is the 11th; in a year (岁) from one solstice month
 * to the next with 13 months, the first month without a principal term (中气) is the leap month.
 *
 * Used by the provisional-calendar generator (`scripts/calendar-provisional.ts`) and its tests,
 * never by a Lambda at run time: the generated JSON is what the calendar loads. Accuracy is
 * checked against published dates of 2027–2036 (test/unit/calendar/lunar.test.ts); each result
 * reports how close the deciding instants came to Beijing midnight, so a date that a better
 * ephemeris could move is visible rather than silently wrong.
 */

const DAY_MS = 86_400_000;
const J2000 = 2451545.0;
/** Julian day of 1970-01-01T00:00Z. */
const UNIX_EPOCH_JD = 2440587.5;
/** Beijing time is UTC+08:00; the Chinese calendar is computed on it (GB/T 33661-2017). */
const BEIJING_OFFSET_DAYS = 8 / 24;
/** TT − UT around 2025–2040 (≈ 69–72 s); an error of a few seconds is far below the model error. */
const DELTA_T_DAYS = 70 / 86_400;

const rad = (deg: number): number => (deg * Math.PI) / 180;
const norm360 = (deg: number): number => ((deg % 360) + 360) % 360;

/** Julian Ephemeris Day (TT) of the new moon with lunation number `k` (k = 0: 2000-01-06). */
export function newMoonJde(k: number): number {
  const T = k / 1236.85;
  const T2 = T * T;
  const T3 = T2 * T;
  const T4 = T3 * T;
  let jde = 2451550.09766 + 29.530588861 * k + 0.00015437 * T2 - 0.00000015 * T3 + 0.00000000073 * T4;
  const E = 1 - 0.002516 * T - 0.0000074 * T2;
  const M = rad(2.5534 + 29.1053567 * k - 0.0000014 * T2 - 0.00000011 * T3);
  const Mp = rad(201.5643 + 385.81693528 * k + 0.0107582 * T2 + 0.00001238 * T3 - 0.000000058 * T4);
  const F = rad(160.7108 + 390.67050284 * k - 0.0016118 * T2 - 0.00000227 * T3 + 0.000000011 * T4);
  const Om = rad(124.7746 - 1.56375588 * k + 0.0020672 * T2 + 0.00000215 * T3);
  const s = Math.sin;
  jde +=
    -0.4072 * s(Mp) +
    0.17241 * E * s(M) +
    0.01608 * s(2 * Mp) +
    0.01039 * s(2 * F) +
    0.00739 * E * s(Mp - M) -
    0.00514 * E * s(Mp + M) +
    0.00208 * E * E * s(2 * M) -
    0.00111 * s(Mp - 2 * F) -
    0.00057 * s(Mp + 2 * F) +
    0.00056 * E * s(2 * Mp + M) -
    0.00042 * s(3 * Mp) +
    0.00042 * E * s(M + 2 * F) +
    0.00038 * E * s(M - 2 * F) -
    0.00024 * E * s(2 * Mp - M) -
    0.00017 * s(Om) -
    0.00007 * s(Mp + 2 * M) +
    0.00004 * s(2 * Mp - 2 * F) +
    0.00004 * s(3 * M) +
    0.00003 * s(Mp + M - 2 * F) +
    0.00003 * s(2 * Mp + 2 * F) -
    0.00003 * s(Mp + M + 2 * F) +
    0.00003 * s(Mp - M + 2 * F) -
    0.00002 * s(Mp - M - 2 * F) -
    0.00002 * s(3 * Mp + M) +
    0.00002 * s(4 * Mp);
  // Planetary arguments (Meeus table 49.b).
  const A: ReadonlyArray<readonly [number, number, number]> = [
    [299.77, 0.107408, 0.000325],
    [251.88, 0.016321, 0.000165],
    [251.83, 26.651886, 0.000164],
    [349.42, 36.412478, 0.000126],
    [84.66, 18.206239, 0.00011],
    [141.74, 53.303771, 0.000062],
    [207.14, 2.453732, 0.00006],
    [154.84, 7.30686, 0.000056],
    [34.52, 27.261239, 0.000047],
    [207.19, 0.121824, 0.000042],
    [291.34, 1.844379, 0.00004],
    [161.72, 24.198154, 0.000037],
    [239.56, 25.513099, 0.000035],
    [331.55, 3.592518, 0.000023],
  ];
  for (const [i, [a0, a1, c]] of A.entries()) {
    const arg = a0 + a1 * k - (i === 0 ? 0.009173 * T2 : 0);
    jde += c * Math.sin(rad(arg));
  }
  return jde;
}

/** The Sun's apparent geocentric longitude in degrees [0, 360) at Julian Ephemeris Day `jde`. */
export function sunLongitude(jde: number): number {
  const T = (jde - J2000) / 36525;
  const L0 = 280.46646 + 36000.76983 * T + 0.0003032 * T * T;
  const M = rad(357.52911 + 35999.05029 * T - 0.0001537 * T * T);
  const C = (1.914602 - 0.004817 * T - 0.000014 * T * T) * Math.sin(M) + (0.019993 - 0.000101 * T) * Math.sin(2 * M) + 0.000289 * Math.sin(3 * M);
  const omega = rad(125.04 - 1934.136 * T);
  return norm360(L0 + C - 0.00569 - 0.00478 * Math.sin(omega));
}

/** JDE at which the Sun's apparent longitude reaches `longitude` degrees, near `approxJde`. */
export function solarTermJde(longitude: number, approxJde: number): number {
  let jde = approxJde;
  for (let i = 0; i < 20; i++) {
    const delta = ((longitude - sunLongitude(jde) + 540) % 360) - 180;
    jde += (delta / 360) * 365.2422;
    if (Math.abs(delta) < 1e-7) break;
  }
  return jde;
}

/** JDE of the solar term at `longitude` degrees in Gregorian year `year` (e.g. 15 → 清明, 270 → 冬至). */
export function solarTermInYear(year: number, longitude: number): number {
  // 0° (春分) is near 20 March; the Sun moves ≈ 0.9856° a day. Longitudes past 270° (冬至,
  // ≈ 21 Dec) are reached again in January–March of the same Gregorian year (小寒 285° … 惊蛰 345°).
  const march20 = Date.UTC(year, 2, 20) / DAY_MS + UNIX_EPOCH_JD;
  const lon = norm360(longitude);
  const approx = march20 + ((lon > 270 ? lon - 360 : lon) / 360) * 365.2422;
  return solarTermJde(longitude, approx);
}

/** An instant in Beijing time: its civil day and how far it lies from the nearest Beijing midnight. */
export interface BeijingInstant {
  /** Days since 1970-01-01 of the Beijing civil date. */
  day: number;
  /** Minutes to the nearest Beijing midnight: small means a better ephemeris could move the date. */
  marginMinutes: number;
}

/** The Beijing civil day of a Julian Ephemeris Day. */
export function beijingDay(jde: number): BeijingInstant {
  const local = jde - DELTA_T_DAYS - UNIX_EPOCH_JD + BEIJING_OFFSET_DAYS;
  const day = Math.floor(local);
  const frac = local - day;
  return { day, marginMinutes: Math.min(frac, 1 - frac) * 24 * 60 };
}

/** `YYYY-MM-DD` of a day number (days since 1970-01-01). */
export function isoOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The lunar dates the statutory holidays hang on, as Gregorian `YYYY-MM-DD`, for one Gregorian year. */
export interface LunarFestivals {
  /** 除夕: the last day of the 12th month before 春节 (falls in `year`, never in year − 1 for 2027–2036). */
  newYearsEve: string;
  /** 春节: 1st day of the 1st month. */
  springFestival: string;
  /** 清明: the day the Sun reaches 15°. */
  qingming: string;
  /** 端午节: 5th day of the 5th month (of the ordinary, not the leap, 5th month). */
  dragonBoat: string;
  /** 中秋节: 15th day of the 8th month. */
  midAutumn: string;
  /** The leap month of the 岁 from the winter solstice of year − 1 to that of year, if any (2034: 11, 2033’s 闰十一月). */
  leapMonth?: number;
  /** Smallest distance to Beijing midnight of any new moon or term that decided these dates. */
  marginMinutes: number;
}

interface LunarMonth {
  start: number;
  number: number;
  leap: boolean;
}

/** The lunar months of the 岁 from the solstice month of `year − 1` up to (excluding) that of `year`. */
function suiMonths(year: number): { months: LunarMonth[]; margin: number } {
  let margin = Infinity;
  const day = (jde: number): number => {
    const b = beijingDay(jde);
    margin = Math.min(margin, b.marginMinutes);
    return b.day;
  };
  const ws1 = day(solarTermInYear(year - 1, 270));
  const ws2 = day(solarTermInYear(year, 270));
  // New moons from ~40 days before the first solstice to ~40 days after the second.
  const k0 = Math.floor((year - 1 - 2000) * 12.3685) + 9;
  const moons: BeijingInstant[] = [];
  for (let k = k0; moons.length === 0 || moons[moons.length - 1]!.day < ws2 + 40; k++) moons.push(beijingDay(newMoonJde(k)));
  const startIdx = moons.findLastIndex((m) => m.day <= ws1);
  const endIdx = moons.findLastIndex((m) => m.day <= ws2);
  for (let i = startIdx; i <= endIdx; i++) margin = Math.min(margin, moons[i]!.marginMinutes);
  // Principal terms (中气, multiples of 30°): 冬至 of year − 1, then 大寒 … 冬至 of year.
  const zhongqi: number[] = [];
  for (let i = 0; i <= 12; i++) zhongqi.push(day(solarTermInYear(i === 0 ? year - 1 : year, (270 + 30 * i) % 360)));
  const count = endIdx - startIdx;
  const leapYear = count === 13;
  const months: LunarMonth[] = [];
  let number = 11;
  let leapTaken = false;
  for (let i = startIdx; i < endIdx; i++) {
    const start = moons[i]!.day;
    const next = moons[i + 1]!.day;
    const hasZhongqi = zhongqi.some((z) => z >= start && z < next);
    if (i === startIdx) {
      months.push({ start, number: 11, leap: false });
      continue;
    }
    if (leapYear && !leapTaken && !hasZhongqi) {
      leapTaken = true;
      months.push({ start, number, leap: true });
      continue;
    }
    number = (number % 12) + 1;
    months.push({ start, number, leap: false });
  }
  return { months, margin };
}

/**
 * 除夕, 春节, 清明, 端午 and 中秋 of Gregorian `year` (valid 1900–2100 with the accuracy noted
 * in the module comment; verified 2027–2036).
 */
export function lunarFestivals(year: number): LunarFestivals {
  const { months, margin } = suiMonths(year);
  const first = months.find((m) => m.number === 1 && !m.leap);
  const fifth = months.find((m) => m.number === 5 && !m.leap);
  const eighth = months.find((m) => m.number === 8 && !m.leap);
  if (!first || !fifth || !eighth) throw new RangeError(`lunar months of ${year} are incomplete`);
  const qm = beijingDay(solarTermInYear(year, 15));
  const leap = months.find((m) => m.leap);
  return {
    newYearsEve: isoOfDay(first.start - 1),
    springFestival: isoOfDay(first.start),
    qingming: isoOfDay(qm.day),
    dragonBoat: isoOfDay(fifth.start + 4),
    midAutumn: isoOfDay(eighth.start + 14),
    ...(leap && { leapMonth: leap.number }),
    marginMinutes: Math.round(Math.min(margin, qm.marginMinutes)),
  };
}
