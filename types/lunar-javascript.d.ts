/** The few calls of lunar-javascript (MIT, no bundled types) the provisional-holiday cross-check uses. */
declare module 'lunar-javascript' {
  interface Solar {
    toYmd(): string;
  }
  interface Lunar {
    getSolar(): Solar;
    getMonth(): number;
    getDay(): number;
    getFestivals(): string[];
    getJieQiTable(): Record<string, Solar>;
    next(days: number): Lunar;
  }
  const Lunar: { fromYmd(year: number, month: number, day: number): Lunar };
  const Solar: { fromYmd(year: number, month: number, day: number): Solar };
  /** `getLeapMonth()`: the leap month of the lunar year (0: none). */
  const LunarYear: { fromYear(year: number): { getLeapMonth(): number } };
  const lunar: { Lunar: typeof Lunar; Solar: typeof Solar; LunarYear: typeof LunarYear };
  export default lunar;
}
