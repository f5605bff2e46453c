/** zh-CN first, with an English toggle. The server's labels (status, category…) stay Chinese. */
export type Lang = 'zh' | 'en';

// Guarded so that the console's modules load in the unit tests (node), where there is no sessionStorage.
let current: Lang = (typeof sessionStorage === 'undefined' ? null : (sessionStorage.getItem('console.lang') as Lang | null)) ?? 'zh';

export const lang = (): Lang => current;

export function setLang(next: Lang): void {
  current = next;
  sessionStorage.setItem('console.lang', next);
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
}

/** A text in both languages: `t('待派单', 'To dispatch')`. */
export const t = (zh: string, en: string): string => (current === 'zh' ? zh : en);

const fmt = () =>
  new Intl.DateTimeFormat(current === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });

/** An instant in Beijing time, as the seeds count. */
export const when = (iso: string | undefined): string => (iso ? fmt().format(new Date(iso)) : '—');

/** "还剩 1时05分" / "超时 3分": the signed distance from now to `iso`. */
export function countdown(iso: string, now: number): string {
  const ms = new Date(iso).getTime() - now;
  const abs = Math.abs(ms);
  const d = Math.floor(abs / 86_400_000);
  const h = Math.floor((abs % 86_400_000) / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  const s = Math.floor((abs % 60_000) / 1000);
  const span = d > 0 ? t(`${d}天${h}时`, `${d}d ${h}h`) : h > 0 ? t(`${h}时${m}分`, `${h}h ${m}m`) : t(`${m}分${s}秒`, `${m}m ${s}s`);
  return ms >= 0 ? t(`还剩 ${span}`, `${span} left`) : t(`超时 ${span}`, `${span} overdue`);
}
