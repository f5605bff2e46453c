/**
 * 受理类型 (complaint 投诉 / inquiry 查询 / feedback 意见反映) and what follows from it: which SLA profile
 * a case runs on. Pure. Decision 050; seed 000 (三来处理系统), seed 001 (查询 2 h / 24 h, 客户建议类).
 */
import { kindOf, type Complaint } from './model.ts';
import type { ProfileName, SlaPolicy } from './sla/policy.ts';

/**
 * The policy profile of a complaint: the one the centre chose at intake (`slaProfile`, e.g.
 * `administrative_efficiency`) wins; else the kind's own profile (`inquiry`, `feedback`) when the
 * policy defines it; else `default`. Milestones a kind's profile leaves out use the default's rule.
 */
export function profileOf(c: Partial<Pick<Complaint, 'kind' | 'slaProfile'>>, policy: SlaPolicy): ProfileName {
  if (c.slaProfile !== undefined) return c.slaProfile;
  const kind = kindOf(c);
  return kind !== 'complaint' && policy.profiles[kind] !== undefined ? kind : 'default';
}
