/** The statistics month of seed 000 (七): 上月26日至本月25日, as `YYYY-MM` of the month it ends in. */

/** The statistics month (26th of the previous month – 25th, seed 000 (七)) of a Shanghai date. */
export function statisticsPeriodOf(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  if (d <= 25) return `${y}-${String(m).padStart(2, '0')}`;
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The Shanghai dates a statistics month covers, both inclusive. */
export function statisticsPeriodRange(period: string): { from: string; to: string } {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const prev = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  return { from: `${prev}-26`, to: `${period}-25` };
}
