/** Moving around the console, and the names it shows for roles, units and handlers. */
import { directoryUnits } from './directory.ts';
import { t } from './i18n.ts';

/** Moves within the console without a reload. */
export function navigate(path: string): void {
  history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}

export const isTyping = (e: KeyboardEvent): boolean => {
  const el = e.target as HTMLElement | null;
  return e.ctrlKey || e.metaKey || e.altKey || !!el?.closest('input, textarea, select, [contenteditable]');
};

/** An in-app link's click handler (a modified click opens a new tab as usual). */
export const link = (to: string) => (e: MouseEvent) => {
  if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) return;
  e.preventDefault();
  navigate(to);
};

const ROLE: Record<string, [string, string]> = {
  agent: ['客服中心', 'Centre agent'],
  handler: ['处理人', 'Unit handler'],
  leader: ['单位负责人', 'Unit leader'],
  quality: ['质量管理', 'Quality'],
  admin: ['管理员', 'Admin'],
};
export const roleLabel = (r: string): string => t(...(ROLE[r] ?? [r, r]));
/** Names from the runtime directory (`GET /directory`); the id until it has loaded, or when it has no such entry. */
export const unitName = (id: string | undefined): string => directoryUnits().find((u) => u.id === id)?.name ?? id ?? '—';
export const handlerName = (id: string | undefined): string =>
  directoryUnits()
    .flatMap((u) => u.handlers)
    .find((h) => h.id === id)?.name ??
  id ??
  '—';
