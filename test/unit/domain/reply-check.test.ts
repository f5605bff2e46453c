/**
 * Replies with facts (seed 000 回复要素): vague phrases inside a text that adds no fact, the delivery
 * facts of a reply that says “delivered”, and the promised next contact of an unresolved reply.
 */
import { describe, expect, it } from 'vitest';
import { checkReply, isVagueInContext } from '#domain/reply-check.ts';
import type { Category } from '#domain/model.ts';
import type { ReplyRequest } from '#domain/schemas.ts';
import { replyBody } from '#test/support/fixtures.ts';

const NOW = new Date('2026-11-26T08:00:00.000Z');
const paths = (reply: ReplyRequest, category: Category = 'delay') => checkReply(reply, { category, now: NOW }).map((i) => i.path);
const delivery: NonNullable<ReplyRequest['delivery']> = { deliveredAt: '2026-11-25T07:10:00.000Z', method: 'locker', signer: '丰巢快递柜', relation: 'locker' };

describe('vague phrases inside a longer text', () => {
  it.each([
    '经查该邮件已经妥投，客户应该是忘了',
    '该邮件已妥投，可能是家里人拿了吧',
    '我局正常发出，客户可能记错了',
    '已处理，请客户放心',
    '经核实已签收，属于正常情况',
  ])('calls “%s” vague: it adds no fact', (text) => {
    expect(isVagueInContext(text)).toBe(true);
    expect(paths(replyBody({ situation: text }), 'fee')).toEqual(['situation']);
  });

  it.each([
    '已妥投，投递员于11月25日15时放在快递柜并短信通知',
    '该邮件11月25日由收件人家属代签，已电话向投诉人说明',
    '经查该邮件因地址不详退回，已重新投递',
    '经查监控，投递员已于下午送达门卫室',
    '邮件延误两天，已向投诉人致歉',
  ])('accepts “%s”: a fact stands beside the phrase', (text) => {
    expect(isVagueInContext(text)).toBe(false);
  });

  it('leaves texts without a vague phrase to the length rule', () => {
    expect(paths(replyBody({ situation: '地址错了' }), 'fee')).toEqual(['situation']);
    expect(paths(replyBody({ situation: '面单破损导致滞留处理中心，未及时补录信息' }), 'fee')).toEqual([]);
  });
});

describe('delivery facts (seed 000 回复要素(2))', () => {
  const saysDelivered = replyBody({
    result: { resolved: true, complainantAccepted: true, summary: '邮件于11月25日15时10分投入快件箱，已短信通知，投诉人认可已妥投。' },
  });

  it('asks a delay, loss or non-delivery reply that says delivered for time, method, signer and relation', () => {
    for (const category of ['delay', 'loss', 'wrong_delivery', 'notification'] as const) expect(paths(saysDelivered, category)).toEqual(['delivery']);
  });

  it('accepts the reply once the delivery facts are given', () => {
    expect(paths({ ...saysDelivered, delivery })).toEqual([]);
  });

  it('does not ask for delivery facts when the reply says the item was NOT delivered, or the complaint is about something else', () => {
    const notDelivered = replyBody({ situation: '经查该邮件11月24日到达投递部后因地址错误未妥投，已联系寄件人更正地址' });
    expect(paths(notDelivered)).toEqual([]);
    expect(paths(saysDelivered, 'attitude')).toEqual([]);
  });

  it('refuses a delivery time in the future', () => {
    expect(paths({ ...saysDelivered, delivery: { ...delivery, deliveredAt: '2026-11-27T00:00:00.000Z' } })).toEqual(['delivery.deliveredAt']);
  });
});

describe('the promised next contact of an unresolved reply (seed 000 五1(1))', () => {
  const unresolved = (nextContactAt?: string) =>
    replyBody({
      result: {
        resolved: false,
        complainantAccepted: true,
        summary: '已向寄达地发查询单，查询结果预计3个工作日内回复，届时电话告知投诉人。',
        ...(nextContactAt !== undefined && { nextContactAt }),
      },
    });

  it('asks an unresolved reply for the time of the next contact', () => {
    expect(paths(unresolved())).toEqual(['result.nextContactAt']);
  });

  it('refuses a next contact in the past and accepts one in the future', () => {
    expect(paths(unresolved('2026-11-26T07:00:00.000Z'))).toEqual(['result.nextContactAt']);
    expect(paths(unresolved('2026-11-30T02:00:00.000Z'))).toEqual([]);
  });
});
