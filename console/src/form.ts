/** One command's form: fields from the table in commands.ts, the server's problems beside their fields. */
import { html } from 'htm/preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { call, type Problem } from './api.ts';
import { bodyOf, initialValues, withChange, optionsOf, pathOf, type CommandSpec, type ComplaintLike, type Field, type Values } from './commands.ts';
import { Calculator } from './calculator.ts';
import { t } from './i18n.ts';

const fieldId = (cmd: CommandSpec, f: Field) => `f-${cmd.id}-${f.name.replace(/\./g, '-')}`;

interface Props {
  cmd: CommandSpec;
  complaint: ComplaintLike;
  onDone: (message: string) => void;
  onCancel: () => void;
}

export function CommandForm({ cmd, complaint, onDone, onCancel }: Props) {
  const [values, setValues] = useState<Values>(() => initialValues(cmd, complaint));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<Problem | undefined>();
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  // Set by a refused submit: the field (or the form's problem) to focus once the problems are on screen.
  const focusAfterRender = useRef<string | null>(null);

  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('input, select, textarea, button')?.focus();
  }, [cmd.id]);

  const set = (name: string, value: string) => setValues((v) => withChange(v, name, value));
  const visible = cmd.fields.filter((f) => !f.when || f.when(values));

  const submit = async (e: Event) => {
    e.preventDefault();
    const body = bodyOf(cmd, values);
    // The server's own schema first (commands.ts `check`): the same problems, beside the same fields, without a round trip.
    const local = cmd.check?.(body) ?? {};
    const issues: Problem | undefined =
      Object.keys(local).length > 0
        ? { status: 400, title: t('请检查标出的字段', 'Check the marked fields'), errors: Object.entries(local).map(([path, message]) => ({ path, message })) }
        : undefined;
    let found = issues;
    if (!issues) {
      setBusy(true);
      const res = await call<unknown>('POST', pathOf(cmd, complaint.id, values), body);
      setBusy(false);
      if (res.ok) {
        onDone(t(`已提交：${cmd.label()}`, `Done: ${cmd.label()}`));
        return;
      }
      found = res.problem;
    }
    if (!found) return;
    const byField: Record<string, string> = {};
    const names = new Set(visible.map((f) => f.name));
    const unplaced: string[] = [];
    for (const issue of found.errors ?? []) {
      // A problem about a group ("delivery") lands on its first visible field.
      const target = names.has(issue.path) ? issue.path : visible.find((f) => f.covers === issue.path || f.name.startsWith(`${issue.path}.`))?.name;
      if (target) byField[target] = byField[target] ? `${byField[target]}；${issue.message}` : issue.message;
      else unplaced.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message);
    }
    setErrors(byField);
    setProblem({ ...found, ...(unplaced.length > 0 && { detail: [found.detail, ...unplaced].filter(Boolean).join(' · ') }) });
    focusAfterRender.current = Object.keys(byField)[0] ?? '';
  };

  // In the same commit that shows the problems (not a later frame): whoever sees the message finds the focus on its field.
  useLayoutEffect(() => {
    const first = focusAfterRender.current;
    if (first === null) return;
    focusAfterRender.current = null;
    const el = first ? formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`) : formRef.current?.querySelector<HTMLElement>('.form-problem');
    el?.focus();
  }, [errors, problem]);

  return html`<form ref=${formRef} class="command" data-command=${cmd.id} onSubmit=${submit} noValidate aria-labelledby=${`h-${cmd.id}`}>
    <h3 id=${`h-${cmd.id}`}>${cmd.label()}</h3>
    ${
      problem &&
      html`<div class="form-problem" role="alert" tabindex="-1">
      <strong>${problem.title ?? t('提交失败', 'Not accepted')}</strong>${problem.detail ? html` — ${problem.detail}` : ''}
    </div>`
    }
    ${visible.map((f) => renderField(cmd, f, values, errors[f.name], set))}
    ${cmd.id === 'reply' && html`<${Calculator} onUse=${(amount: number) => setValues((v) => ({ ...v, 'compensation.offered': 'true', 'compensation.amount': String(amount) }))} />`}
    <div class="actions">
      <button type="submit" class="primary" disabled=${busy}>${busy ? t('提交中…', 'Sending…') : t('提交', 'Submit')}</button>
      <button type="button" onClick=${onCancel}>${t('取消', 'Cancel')}</button>
    </div>
  </form>`;
}

function renderField(cmd: CommandSpec, f: Field, values: Values, error: string | undefined, set: (n: string, v: string) => void) {
  const id = fieldId(cmd, f);
  const describedBy = [error ? `${id}-err` : '', f.hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  const common = { id, name: f.name, 'aria-invalid': error ? 'true' : undefined, 'aria-describedby': describedBy, required: f.required };
  const value = values[f.name] ?? '';
  const onInput = (e: Event) => set(f.name, (e.currentTarget as HTMLInputElement).value);
  let control: unknown;
  if (f.kind === 'textarea') control = html`<textarea ...${common} rows="3" value=${value} onInput=${onInput}></textarea>`;
  else if (f.kind === 'select' || f.kind === 'bool') {
    const options =
      f.kind === 'bool'
        ? [
            ['true', t('是', 'Yes')],
            ['false', t('否', 'No')],
          ]
        : optionsOf(f, values);
    control = html`<select ...${common} value=${value} onChange=${onInput}>
      ${f.kind === 'select' && html`<option value="">${t('— 请选择 —', '— choose —')}</option>`}
      ${options.map(([v, label]) => html`<option value=${v} selected=${v === value}>${label}</option>`)}
    </select>`;
  } else
    control = html`<input ...${common} type=${f.kind === 'datetime' ? 'datetime-local' : f.kind === 'number' ? 'number' : 'text'} step=${f.kind === 'number' ? '0.01' : undefined} value=${value} onInput=${onInput} />`;
  return html`<div class=${`field${error ? ' invalid' : ''}`}>
    <label for=${id}>${f.label()}${f.required ? html`<span class="req" aria-hidden="true"> *</span>` : ''}</label>
    ${control}
    ${f.hint && html`<p class="hint" id=${`${id}-hint`}>${f.hint()}</p>`}
    ${error && html`<p class="error" id=${`${id}-err`}>${error}</p>`}
  </div>`;
}
