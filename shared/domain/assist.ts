/**
 * 协办 — assist tasks, as pure functions (docs/decisions/048-assist-tasks.md).
 *
 * The lead unit (the one the complaint is dispatched to) may ask other units to assist — the posting
 * office, the delivery office — each with its own task and deadline, and stays responsible for the
 * complaint: seed 000_a1eb924360c3e548.txt 四(四) “按照‘首问责任制’原则，及时处理和跟进客户投诉” and
 * 五1(2) “对于非本单位过失造成的客户投诉，亦要坚持全网观念，联系责任单位协调解决，不得以任何借口推诿”; seed
 * 001_ac9bde20c1bec4e1.txt “要求与被投诉人相关的单位或者个人协助、配合调查”. A unit that does not
 * cooperate or delays makes the complaint justified (seed 000 四(二)5(2) “不配合处理、延误处理时机”), so
 * every open task is a real deadline: the `assist:<taskId>` milestone, warned and escalated like any.
 *
 * `decideAssist` turns one assist command into the changes and events of the transition;
 * `assistsEndedBy` ends the open tasks when the lead unit's resolved reply or the end of the case
 * makes them moot. `lifecycle.ts` applies both; `sla/planner.ts` runs the clocks.
 */
import { findUnit, type UnitDirectory } from './directory.ts';
import { Forbidden, InvalidTransition, NotFound, Unprocessable } from './errors.ts';
import type { Actor, AssistTask, Category, Complaint, DeadlineState, EventType, Severity, Status } from './model.ts';
import { isVagueInContext } from './reply-check.ts';
import type { AssistCancelRequest, AssistReplyRequest, AssistRequest } from './schemas.ts';

/** The assist commands of the lifecycle's `Command` union. */
export type AssistCommand =
  | ({ type: 'assist' } & AssistRequest)
  | ({ type: 'assist_reply'; taskId: string } & AssistReplyRequest)
  | ({ type: 'assist_cancel'; taskId: string } & AssistCancelRequest);

/** What one assist decision changes: fields to set and events to append (`system`: by the rules). */
export interface AssistEffect {
  set: Pick<Complaint, 'assists'>;
  emit: { type: EventType; data: Record<string, unknown>; system?: true }[];
}

/** Prefix of a task's deadline: one milestone name per task keeps `(milestone, round)` unique (decision 048). */
export const ASSIST_MILESTONE = 'assist';
const PREFIX = `${ASSIST_MILESTONE}:`;

/** `assist:A1` — the deadline, timer, ledger and e-mail key of task `A1`. */
export const assistMilestone = (taskId: string): string => `${PREFIX}${taskId}`;
export const isAssistMilestone = (milestone: string): boolean => milestone.startsWith(PREFIX);
/** The task id of an `assist:<id>` milestone, else undefined. */
export const taskIdOf = (milestone: string): string | undefined => (isAssistMilestone(milestone) ? milestone.slice(PREFIX.length) : undefined);

/** The task an `assist:<id>` deadline belongs to. */
export function assistTaskOf(c: Pick<Complaint, 'assists'>, milestone: string): AssistTask | undefined {
  const id = taskIdOf(milestone);
  return id === undefined ? undefined : c.assists?.find((t) => t.id === id);
}

/** The unit whose clock (and whose people, for warnings and breaches) a deadline is: the assisting unit for a task. */
export function deadlineUnitOf(c: Pick<Complaint, 'assists' | 'unitId'>, milestone: string): string | undefined {
  return isAssistMilestone(milestone) ? assistTaskOf(c, milestone)?.unitId : c.unitId;
}

/** `协办（越秀投递部）` — the label of an assist deadline in e-mails and the console. */
export function assistLabel(c: Pick<Complaint, 'assists'>, milestone: string): string | undefined {
  if (!isAssistMilestone(milestone)) return undefined;
  const task = assistTaskOf(c, milestone);
  return task ? `协办（${task.unitName}）` : '协办';
}

/**
 * Whether staff of `unitId` read the complaint as an assisting unit: while their task is open, or
 * answered and the case still open (the lead may come back to them); never after a cancellation
 * or once an answered case has ended (they need the content, waybill and task, nothing more).
 */
export function assistsAs(c: Pick<Complaint, 'assists' | 'status'>, unitId: string): boolean {
  const ended = c.status === 'closed' || c.status === 'withdrawn';
  return (c.assists ?? []).some((t) => t.unitId === unitId && (t.status === 'open' || (t.status === 'answered' && !ended)));
}

/** One row of an assisting unit's worklist (no complainant identity: only the task and the case's key facts). */
export interface AssistRow {
  complaintId: string;
  taskId: string;
  unitId: string;
  task: string;
  status: AssistTask['status'];
  dueAt?: string;
  deadlineState?: DeadlineState;
  requestedAt: string;
  requestedBy: string;
  leadUnitId?: string;
  trackingCode: string;
  category: Category;
  severity: Severity;
  complaintStatus: Status;
  waybillNo?: string;
}

/** Decides one assist command on `c` (status already checked by `ALLOWED_FROM`). */
export function decideAssist(c: Complaint, cmd: AssistCommand, actor: Actor, now: Date, directory: UnitDirectory): AssistEffect {
  const at = now.toISOString();
  const tasks = c.assists ?? [];
  switch (cmd.type) {
    case 'assist': {
      const unit = findUnit(directory, cmd.unitId);
      if (!unit) throw new Unprocessable('unknown-unit', `No unit “${cmd.unitId}”`, [{ path: 'unitId', message: 'Unknown unit' }]);
      if (unit.id === c.unitId) {
        throw new Unprocessable('assist-self', 'The lead unit cannot ask itself to assist', [{ path: 'unitId', message: '协办单位不能是主办单位本身' }]);
      }
      if (cmd.dueAt !== undefined && Date.parse(cmd.dueAt) <= now.getTime()) {
        throw new Unprocessable('due-in-past', 'An assist deadline may not lie in the past', [{ path: 'dueAt', message: 'In the past' }]);
      }
      const task: AssistTask = {
        id: `A${tasks.length + 1}`,
        unitId: unit.id,
        unitName: unit.name,
        task: cmd.task,
        requestedBy: actor.id,
        requestedAt: at,
        round: Math.max(1, c.round),
        status: 'open',
        ...(cmd.dueAt !== undefined && { requestedDueAt: new Date(cmd.dueAt).toISOString() }),
      };
      return {
        set: { assists: [...tasks, task] },
        emit: [
          {
            type: 'assist_requested',
            data: {
              taskId: task.id,
              unitId: unit.id,
              unitName: unit.name,
              task: cmd.task,
              round: task.round,
              ...(task.requestedDueAt !== undefined && { requestedDueAt: task.requestedDueAt }),
            },
          },
        ],
      };
    }
    case 'assist_reply': {
      const task = openTask(c, cmd.taskId, cmd.type);
      // Only the assisting unit answers its task (the lead unit reads, the centre and admins may record it).
      if ((actor.role === 'handler' || actor.role === 'leader') && actor.unitId !== task.unitId) {
        throw new Forbidden(`Only ${task.unitName} answers task ${task.id}`, { taskId: task.id });
      }
      if (isVagueInContext(cmd.findings)) {
        throw new Unprocessable('vague-findings', 'The findings say nothing that can be checked (seed 000 答复要素)', [
          { path: 'findings', message: '请写明查明的事实：时间、地点、经办人、结果' },
        ]);
      }
      const reply = { findings: cmd.findings, ...(cmd.facts !== undefined && { facts: cmd.facts }), by: actor.id, at };
      return {
        set: { assists: tasks.map((t) => (t.id === task.id ? { ...t, status: 'answered' as const, reply } : t)) },
        emit: [
          {
            type: 'assist_replied',
            data: { taskId: task.id, unitId: task.unitId, findings: cmd.findings, ...(cmd.facts !== undefined && { facts: cmd.facts }) },
          },
        ],
      };
    }
    case 'assist_cancel': {
      const task = openTask(c, cmd.taskId, cmd.type);
      return {
        set: {
          assists: tasks.map((t) => (t.id === task.id ? { ...t, status: 'cancelled' as const, cancellation: { reason: cmd.reason, by: actor.id, at } } : t)),
        },
        emit: [{ type: 'assist_cancelled', data: { taskId: task.id, unitId: task.unitId, reason: cmd.reason } }],
      };
    }
  }
}

/** Why the rules end open tasks (recorded as the cancellation reason). */
export const AUTO_CANCEL_REASONS = {
  resolved_reply: '主办单位已答复并解决，协办任务自动结束',
  case_ended: '投诉已办结或撤诉，协办任务自动结束',
} as const;

/**
 * Open tasks the transition makes moot, ended by the rules: the lead unit's reply that resolves the
 * complaint (an unresolved reply promises a next contact, and the assisting unit's findings may be
 * what it waits for: those tasks stay open), or the end of the case (closed, withdrawn). A 暂结 only
 * pauses their clocks, like every clock of the case.
 */
export function assistsEndedBy(
  c: Complaint,
  next: Pick<Complaint, 'status' | 'reply'> & Partial<Pick<Complaint, 'assists'>>,
  at: string,
): AssistEffect | undefined {
  const tasks = next.assists ?? c.assists ?? [];
  const open = tasks.filter((t) => t.status === 'open');
  if (open.length === 0) return undefined;
  const ended = next.status === 'closed' || next.status === 'withdrawn';
  const resolvedReply = next.status === 'replied' && c.status !== 'replied' && next.reply?.result.resolved === true;
  if (!ended && !resolvedReply) return undefined;
  const reason = ended ? AUTO_CANCEL_REASONS.case_ended : AUTO_CANCEL_REASONS.resolved_reply;
  const ids = new Set(open.map((t) => t.id));
  return {
    set: {
      assists: tasks.map((t) => (ids.has(t.id) ? { ...t, status: 'cancelled' as const, cancellation: { reason, by: 'rules', at, auto: true as const } } : t)),
    },
    emit: open.map((t) => ({ type: 'assist_cancelled' as const, data: { taskId: t.id, unitId: t.unitId, reason, auto: true }, system: true as const })),
  };
}

function openTask(c: Complaint, taskId: string, command: string): AssistTask {
  const task = c.assists?.find((t) => t.id === taskId);
  if (!task) throw new NotFound(`Assist task ${taskId} of complaint ${c.id} not found`);
  if (task.status !== 'open') throw new InvalidTransition(command, `assist task ${task.id} ${task.status}`, `Assist task ${task.id} is already ${task.status}`);
  return task;
}
