import { afterEach, describe, expect, it } from 'vitest';
import { bodyOf, COMMANDS, commandsFor, initialValues, optionsOf, withChange, type ComplaintLike } from '../../../console/src/commands.ts';
import { setDirectory } from '../../../console/src/directory.ts';
import { handlerName, unitName } from '../../../console/src/nav.ts';
import { ROUTES } from '#http/routes.ts';

const complaint = (over: Partial<ComplaintLike> = {}): ComplaintLike => ({
  id: 'C0123456789ABCDEF',
  status: 'received',
  severity: 'general',
  suggestedUnitId: 'gz-hub',
  ...over,
});
const spec = (id: string) => COMMANDS.find((c) => c.id === id)!;
/** What `GET /directory` answered (not the demo files: the console has no directory of its own). */
const DIRECTORY = [
  { id: 'gz-hub', name: '广州邮件处理中心', kind: 'hub', region: '广东省广州市', handlers: [{ id: 'hub-handler-1', name: '陈处理' }] },
  {
    id: 'gz-tianhe',
    name: '天河揽投部',
    kind: 'delivery_station',
    region: '广东省广州市天河区',
    handlers: [
      { id: 'th-handler-1', name: '王芳' },
      { id: 'th-handler-2', name: '赵强' },
    ],
  },
];
afterEach(() => setDirectory([]));

describe('the console’s command table', () => {
  it('has a form for every staff command route on a complaint (a new route needs its row in console/src/commands.ts)', () => {
    // Prepare
    const commandRoutes = ROUTES.filter((r) => r.auth === 'staff' && r.method === 'POST' && r.path.startsWith('/complaints/{id}/')).map(
      (r) => `${r.method} ${r.path}`,
    );
    // Assess
    expect(commandRoutes.filter((r) => !COMMANDS.some((c) => c.route === r))).toEqual([]);
  });

  it('offers only routes that exist, to the roles access.ts permits, in the statuses lifecycle.ts allows', () => {
    // Act
    const agentNew = commandsFor('agent', complaint()).map((c) => c.id);
    const handlerNew = commandsFor('handler', complaint()).map((c) => c.id);
    const handlerDispatched = commandsFor('handler', complaint({ status: 'dispatched', unitId: 'gz-tianhe' })).map((c) => c.id);
    const handlerSigned = commandsFor('handler', complaint({ status: 'dispatched', unitId: 'gz-tianhe', signedAt: '2026-12-01T01:00:00Z' })).map((c) => c.id);
    const leader = commandsFor('leader', complaint({ status: 'contacted', unitId: 'gz-tianhe' })).map((c) => c.id);
    // Assess
    expect(agentNew).toEqual(expect.arrayContaining(['assign', 'chase', 'severity', 'suspend', 'withdraw']));
    expect(agentNew).not.toContain('reply');
    expect(handlerNew).toEqual([]);
    expect(handlerDispatched).toEqual(expect.arrayContaining(['sign', 'return', 'contact', 'reply', 'pause']));
    expect(handlerSigned).not.toContain('sign');
    expect(leader).toContain('extend');
    expect(commandsFor('quality', complaint({ status: 'replied' }))).toEqual([]);
  });

  it('offers 申请延期 while the reply limit runs unextended and no request is open, then only the leader’s approve/refuse (decision 069)', () => {
    // Prepare
    const reply = { milestone: 'reply', round: 1, dueAt: '2026-12-07T10:30:00.000Z' };
    const running = complaint({ status: 'contacted', unitId: 'gz-tianhe', round: 1, deadlines: [reply] });
    const asked = { ...running, extensionRequest: { status: 'open', reason: '需调取投递记录', requestedDueAt: '2026-12-08T10:30:00.000Z' } };
    const ids = (role: string, c: ComplaintLike) => commandsFor(role, c).map((x) => x.id);
    // Assess
    expect(ids('handler', running)).toContain('request-extension');
    expect(ids('handler', complaint({ ...running, deadlines: [{ ...reply, extended: {} }] }))).not.toContain('request-extension');
    expect(ids('handler', asked)).not.toContain('request-extension');
    expect(ids('handler', asked)).not.toContain('approve-extension');
    expect(ids('leader', asked)).toEqual(expect.arrayContaining(['approve-extension', 'refuse-extension']));
    expect(ids('leader', asked)).not.toContain('extend');
    expect(ids('leader', running)).not.toContain('approve-extension');
    expect(ids('leader', complaint({ ...running, deadlines: [{ ...reply, extended: {} }] }))).not.toContain('extend');
    // The requested time starts a day after the current due (Beijing wall time in the datetime field).
    expect(initialValues(spec('request-extension'), running)['requestedDueAt']).toBe('2026-12-08T18:30');
  });

  it('checks the extension forms with the server’s schemas before sending, by body path; the decision carries approve', () => {
    // Act
    const empty = spec('request-extension').check?.(bodyOf(spec('request-extension'), {}));
    const good = bodyOf(spec('request-extension'), { reason: '需调取投递记录', requestedDueAt: '2026-12-08T18:30' });
    const refuse = bodyOf(spec('refuse-extension'), { reason: '时限内可以完成' });
    // Assess
    expect(Object.keys(empty ?? {}).sort()).toEqual(['reason', 'requestedDueAt']);
    expect(good).toEqual({ reason: '需调取投递记录', requestedDueAt: '2026-12-08T10:30:00.000Z' });
    expect(spec('request-extension').check?.(good)).toEqual({});
    expect(refuse).toEqual({ approve: false, reason: '时限内可以完成' });
    expect(spec('refuse-extension').check?.(refuse)).toEqual({});
    expect(spec('approve-extension').check?.({ approve: true, reason: 'x' })).toHaveProperty('reason');
  });

  it('preselects the routing suggestion and that unit’s first handler, and follows a change of unit', () => {
    // Prepare
    setDirectory(DIRECTORY);
    // Act
    const values = initialValues(spec('assign'), complaint());
    const moved = withChange(values, 'unitId', 'gz-tianhe');
    // Assess
    expect(values['unitId']).toBe('gz-hub');
    expect(moved['handlerId']).toBe('th-handler-1');
  });

  it('offers the units and handlers of the loaded directory, and until it has loaded none, naming by id', () => {
    // Prepare
    const unitField = spec('assign').fields.find((f) => f.name === 'unitId')!;
    const handlerField = spec('assign').fields.find((f) => f.name === 'handlerId')!;
    // Assess: nothing baked in — before GET /directory answers there is nothing to offer, and ids stand for names
    expect(optionsOf(unitField, {})).toEqual([]);
    expect(initialValues(spec('assign'), complaint())['handlerId']).toBe('');
    expect(unitName('gz-tianhe')).toBe('gz-tianhe');
    expect(handlerName('th-handler-1')).toBe('th-handler-1');
    // Act
    setDirectory(DIRECTORY);
    // Assess
    expect(optionsOf(unitField, {})).toEqual([
      ['gz-hub', '广州邮件处理中心'],
      ['gz-tianhe', '天河揽投部'],
    ]);
    expect(optionsOf(handlerField, { unitId: 'gz-tianhe' })).toEqual([
      ['th-handler-1', '王芳'],
      ['th-handler-2', '赵强'],
    ]);
    expect(optionsOf(spec('assist').fields.find((f) => f.name === 'unitId')!, {}).map(([id]) => id)).toEqual(['gz-hub', 'gz-tianhe']);
    expect(unitName('gz-tianhe')).toBe('天河揽投部');
    expect(handlerName('th-handler-2')).toBe('赵强');
    expect(unitName('gz-unknown')).toBe('gz-unknown');
  });

  it('builds the nested reply body from the visible fields only, in the server’s types', () => {
    // Prepare
    const values = {
      ...initialValues(spec('reply'), complaint({ status: 'contacted' })),
      situation: '经查，邮件因分拣错误误发。',
      'process.contactedBy': '王芳',
      'process.contactedAt': '2026-12-01T10:30',
      'process.summary': '电话联系投诉人说明原因',
      'result.resolved': 'true',
      'result.summary': '已安排投递上门',
      'result.nextContactAt': '2026-12-05T10:00',
      'delivery.signer': '张三',
      'compensation.offered': 'true',
      'compensation.amount': '12.5',
    };
    // Act
    const body = bodyOf(spec('reply'), values);
    // Assess: Beijing wall time → instant; hidden fields (next contact when resolved, delivery when not delivered) are not sent
    expect(body).toMatchObject({
      situation: '经查，邮件因分拣错误误发。',
      process: { contactedBy: '王芳', contactedAt: '2026-12-01T02:30:00.000Z', method: 'phone' },
      result: { resolved: true, complainantAccepted: true },
      justified: true,
      compensation: { offered: true, amount: 12.5 },
    });
    expect(body['result']).not.toHaveProperty('nextContactAt');
    expect(body).not.toHaveProperty('delivery');
    expect(body).not.toHaveProperty('delivered');
  });
});
