import { describe, expect, it } from 'vitest';
import menuJson from '#config/ivr-menu.json' with { type: 'json' };
import { normalizePhone } from '#domain/channels/inbound.ts';
import { IVR_MENU, type IvrMenuNode, parseIvrWebhook, resolveIvrMenuPath } from '#domain/channels/ivr-inbound.ts';
import { parseIvrMenu } from '#domain/channels/ivr-menu.ts';
import { parseGenericSmsWebhook, parseSnsEnvelope } from '#domain/channels/sms-inbound.ts';
import { toJsonPath } from '#domain/field-issues.ts';

// ---------------------------------------------------------------------------------------------------------
// Fixtures (shapes from the AWS End User Messaging SMS “two-way SMS message payload” and SNS HTTP(S) docs)
// ---------------------------------------------------------------------------------------------------------

const TOPIC = 'arn:aws:sns:ap-southeast-1:123456789012:complaint-sms-inbound';

const twoWay = {
  originationNumber: '+8613800138000',
  destinationNumber: '+6580001234',
  messageKeyword: 'KEYWORD_123456789012',
  messageBody: '我的快递EA123456785CN丢了',
  inboundMessageId: 'cae173d2-66b9-564c-8309-21f858e9fb84',
  previousPublishedMessageId: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

const notification = (message: string): Record<string, unknown> => ({
  Type: 'Notification',
  MessageId: 'da41e39f-ea4d-435a-b922-c6aae3915ebe',
  TopicArn: TOPIC,
  Subject: null,
  Message: message,
  Timestamp: '2025-03-01T01:02:03.456Z',
  SignatureVersion: '2',
  Signature: 'EXAMPLEpH+..',
  SigningCertURL: 'https://sns.ap-southeast-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem',
  UnsubscribeURL: 'https://sns.ap-southeast-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=x',
});

const subscriptionConfirmation = {
  Type: 'SubscriptionConfirmation',
  MessageId: '165545c9-2a5c-472c-8df2-7ff2be2b3b1b',
  Token:
    '2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798d2d2785c03b0879594eeac82c01f235d0e717736',
  TopicArn: TOPIC,
  Message: `You have chosen to subscribe to the topic ${TOPIC}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
  SubscribeURL: `https://sns.ap-southeast-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=2336412f37`,
  Timestamp: '2025-03-01T01:00:00.000Z',
  SignatureVersion: '1',
  Signature:
    'EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4VbeS0QHVCkhRS7fUQvi2egU3N858fiTDN6bkkOxYDVrY0Ad8L10Hs3zH81mtnPk5uvvolIC1CXGu43obcgFxeL3khZl8IKvO61GWB6jI9b5+gLPoBc1Q=',
  SigningCertURL: 'https://sns.ap-southeast-1.amazonaws.com/SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem',
};

describe('parseSnsEnvelope', () => {
  it('parses a two-way SMS notification and its inner JSON message', () => {
    // Prepare
    const body = notification(JSON.stringify(twoWay));

    // Act
    const result = parseSnsEnvelope(body);

    // Assess
    expect(result).toEqual({
      ok: true,
      value: {
        kind: 'sms',
        snsMessageId: 'da41e39f-ea4d-435a-b922-c6aae3915ebe',
        topicArn: TOPIC,
        timestamp: '2025-03-01T01:02:03.456Z',
        sms: twoWay,
      },
    });
  });

  it('normalises the sender to E.164 and accepts a message without keyword or previous message id', () => {
    // Prepare
    const { messageKeyword: _k, previousPublishedMessageId: _p, ...minimal } = twoWay;
    const body = notification(JSON.stringify({ ...minimal, originationNumber: '13800138000' }));

    // Act
    const result = parseSnsEnvelope(body);

    // Assess
    expect(result.ok && result.value.kind === 'sms' && result.value.sms.originationNumber).toBe('+8613800138000');
  });

  it('parses the Sns object of a Lambda SNSEvent record (SigningCertUrl spelling)', () => {
    // Prepare
    const { SigningCertURL, UnsubscribeURL: _u, ...rest } = notification(JSON.stringify(twoWay));
    const record = { ...rest, SigningCertUrl: SigningCertURL, UnsubscribeUrl: 'x', MessageAttributes: {} };

    // Act
    const result = parseSnsEnvelope(record);

    // Assess
    expect(result.ok).toBe(true);
  });

  it('returns a subscription confirmation as its own kind so the handler can confirm it', () => {
    // Act
    const result = parseSnsEnvelope(subscriptionConfirmation);

    // Assess
    expect(result).toEqual({
      ok: true,
      value: {
        kind: 'subscription_confirmation',
        snsMessageId: subscriptionConfirmation.MessageId,
        topicArn: TOPIC,
        token: subscriptionConfirmation.Token,
        subscribeUrl: subscriptionConfirmation.SubscribeURL,
      },
    });
  });

  it('returns an unsubscribe confirmation as its own kind', () => {
    // Act
    const result = parseSnsEnvelope({ ...subscriptionConfirmation, Type: 'UnsubscribeConfirmation' });

    // Assess
    expect(result.ok && result.value.kind).toBe('unsubscribe_confirmation');
  });

  it.each([
    ['plain http', 'http://sns.ap-southeast-1.amazonaws.com/?Action=ConfirmSubscription'],
    ['the instance metadata service', 'https://169.254.169.254/latest/meta-data/'],
    ['a look-alike host', 'https://sns.ap-southeast-1.amazonaws.com.evil.example/'],
  ])('rejects a SubscribeURL pointing at %s (no SSRF through confirmation)', (_label, url) => {
    // Act
    const result = parseSnsEnvelope({ ...subscriptionConfirmation, SubscribeURL: url });

    // Assess
    expect(result).toEqual({
      ok: false,
      issues: [{ path: '$.SubscribeURL', message: 'must be an https://sns.<region>.amazonaws.com URL' }],
    });
  });

  it('reports inner JSON that does not parse at $.Message', () => {
    // Act
    const result = parseSnsEnvelope(notification('{"originationNumber": "+8613800138000",'));

    // Assess
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.map((i) => i.path)).toEqual(['$.Message']);
    expect(!result.ok && result.issues[0]?.message).toMatch(/^not valid JSON/);
  });

  it('reports inner JSON that is not an object at $.Message', () => {
    // Act
    const result = parseSnsEnvelope(notification('null'));

    // Assess
    expect(!result.ok && result.issues.map((i) => i.path)).toEqual(['$.Message']);
  });

  it('reports a bad field inside the inner message with its full path', () => {
    // Prepare
    const { inboundMessageId: _id, ...withoutId } = twoWay;
    const body = notification(JSON.stringify({ ...withoutId, originationNumber: 'not-a-number' }));

    // Act
    const result = parseSnsEnvelope(body);

    // Assess
    expect(!result.ok && result.issues.map((i) => i.path).sort()).toEqual(['$.Message.inboundMessageId', '$.Message.originationNumber']);
  });

  it.each([
    ['an unknown Type', { ...notification('{}'), Type: 'Surprise' }, '$.Type'],
    ['no MessageId', { ...notification('{}'), MessageId: undefined }, '$.MessageId'],
    ['a Message that is not a string', { ...notification('{}'), Message: { ...twoWay } }, '$.Message'],
    ['a non-object body', 'Notification', '$'],
  ])('rejects an envelope with %s, naming %s', (_label, body, path) => {
    // Act
    const result = parseSnsEnvelope(body);

    // Assess
    expect(!result.ok && result.issues.map((i) => i.path)).toContain(path);
  });
});

describe('parseGenericSmsWebhook', () => {
  const valid = {
    messageId: 'prov-000123',
    from: '138 0013 8000',
    to: '106900001234',
    text: '包裹破损了',
    receivedAt: '2025-03-01T09:30:00+08:00',
  };

  it('accepts a webhook body and normalises the sender to E.164', () => {
    // Act
    const result = parseGenericSmsWebhook(valid);

    // Assess
    expect(result).toEqual({ ok: true, value: { ...valid, from: '+8613800138000' } });
  });

  it('accepts one part of a long message and turns its reference into a string', () => {
    // Act
    const result = parseGenericSmsWebhook({ ...valid, part: { reference: 17, partNumber: 2, totalParts: 3 } });

    // Assess
    expect(result.ok && result.value.part).toEqual({ reference: '17', partNumber: 2, totalParts: 3 });
  });

  it('names every bad field with its JSON path', () => {
    // Act
    const result = parseGenericSmsWebhook({
      messageId: '',
      from: '95543',
      text: 42,
      receivedAt: '2025-03-01 09:30',
      part: { reference: 1, partNumber: 4, totalParts: 3 },
    });

    // Assess
    expect(!result.ok && result.issues.map((i) => i.path).sort()).toEqual(['$.from', '$.messageId', '$.part.partNumber', '$.receivedAt', '$.text']);
  });
});

describe('IVR menu', () => {
  /** Every leaf of the deployed menu and what it must map to. */
  const LEAVES: [path: string[], category: string, label: string, kind?: string][] = [
    [['1', '1'], 'loss', '邮件丢失'],
    [['1', '2'], 'delay', '邮件延误'],
    [['1', '3'], 'damage', '邮件损毁或内件短少'],
    [['1', '4'], 'wrong_delivery', '投递不规范'],
    [['2', '1'], 'attitude', '服务态度'],
    [['2', '2'], 'notification', '未通知'],
    [['3'], 'fee', '资费争议'],
    [['4'], 'other', '其他问题'],
    // 受理类型 (decision 050): seed 000's 三来 — 查询 and 意见反映 beside 投诉.
    [['5'], 'other', '邮件查询', 'inquiry'],
    [['6'], 'other', '意见建议', 'feedback'],
  ];

  it.each(LEAVES)('maps %j to %s', (path, category, label, kind = 'complaint') => {
    // Act
    const resolution = resolveIvrMenuPath(path);

    // Assess
    expect(resolution).toMatchObject({ matched: true, category, kind, agentRequested: false });
    expect(resolution.labels.at(-1)).toBe(label);
  });

  it('covers every leaf of ivr-menu.json in the table above', () => {
    // Prepare
    const leaves: string[] = [];
    const walk = (options: Record<string, IvrMenuNode>, prefix: string[]): void => {
      for (const [key, node] of Object.entries(options)) {
        if (node.options) walk(node.options, [...prefix, key]);
        else if (node.category) leaves.push([...prefix, key].join('-'));
      }
    };

    // Act
    walk(IVR_MENU.options, []);

    // Assess
    expect(leaves.sort()).toEqual(LEAVES.map(([p]) => p.join('-')).sort());
  });

  it('maps 0 to the operator: category other, agent requested', () => {
    // Act & Assess
    expect(resolveIvrMenuPath(['0'])).toEqual({ matched: true, category: 'other', kind: 'complaint', labels: ['人工服务'], agentRequested: true });
  });

  it.each([
    ['an unknown first key', ['9'], []],
    ['an unknown second key', ['1', '7'], ['邮件问题']],
    ['a path that stops on a branch', ['2'], ['服务问题']],
    ['an empty path', [], []],
  ])('maps %s to other without an error (the caller still complained)', (_label, path, labels) => {
    // Act & Assess
    expect(resolveIvrMenuPath(path)).toEqual({ matched: false, category: 'other', kind: 'complaint', labels, agentRequested: false });
  });

  it('ignores keys pressed after a leaf was reached', () => {
    // Act & Assess
    expect(resolveIvrMenuPath(['1', '2', '#']).category).toBe('delay');
  });

  it('validates the deployed menu file', () => {
    // Act & Assess
    expect(parseIvrMenu(menuJson).ok).toBe(true);
  });

  it.each([
    ['a leaf with both a category and options', { label: 'x', category: 'loss', options: { '1': { label: 'y', category: 'delay' } } }],
    ['an entry that is neither branch nor leaf', { label: 'x' }],
    ['an unknown category', { label: 'x', category: 'lost_in_space' }],
    ['a key that is not a DTMF key', { label: 'x', options: { '12': { label: 'y', category: 'delay' } } }],
  ])('rejects a menu with %s', (_label, entry) => {
    // Act
    const result = parseIvrMenu({ ...menuJson, options: { ...menuJson.options, '5': entry } });

    // Assess
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues[0]?.path).toMatch(/^\$\.options\["5"\]/);
  });
});

describe('parseIvrWebhook', () => {
  const call = {
    callId: 'call-20250301-0001',
    callerNumber: '13800138000',
    menuPath: ['1', '3'],
    waybillNo: 'ea 123-456-785 cn',
    recordingUrl: 'https://ivr.example.cn/rec/call-20250301-0001.wav',
    transcript: '包裹到了以后发现里面的东西碎了',
    callbackNumber: '021-12345678',
    startedAt: '2025-03-01T09:30:00+08:00',
  };

  it('parses a call, normalises numbers and waybill, and maps the menu path to a category', () => {
    // Act
    const result = parseIvrWebhook(call);

    // Assess
    expect(result).toEqual({
      ok: true,
      value: {
        ...call,
        callerNumber: '+8613800138000',
        callbackNumber: '+862112345678',
        waybillNo: 'EA123456785CN',
        category: 'damage',
        kind: 'complaint',
        menu: { matched: true, category: 'damage', kind: 'complaint', labels: ['邮件问题', '邮件损毁或内件短少'], agentRequested: false },
      },
    });
  });

  it('accepts a withheld caller id as null', () => {
    // Act
    const result = parseIvrWebhook({ ...call, callerNumber: 'anonymous' });

    // Assess
    expect(result.ok && result.value.callerNumber).toBeNull();
  });

  it('accepts an unknown menu path as category other', () => {
    // Act
    const result = parseIvrWebhook({ ...call, menuPath: ['8', '8'] });

    // Assess
    expect(result.ok && result.value.category).toBe('other');
    expect(result.ok && result.value.menu.matched).toBe(false);
  });

  it('rejects a menu path element that is not a DTMF key, naming its index', () => {
    // Act
    const result = parseIvrWebhook({ ...call, menuPath: ['1', 'three'] });

    // Assess
    expect(result).toEqual({ ok: false, issues: [{ path: '$.menuPath[1]', message: 'a single DTMF key: 0–9, * or #' }] });
  });

  it('names every bad field with its JSON path', () => {
    // Act
    const result = parseIvrWebhook({
      callId: 7,
      callerNumber: 'hello',
      menuPath: '12',
      recordingUrl: 'ftp://x',
      callbackNumber: '123',
      startedAt: 'yesterday',
      waybillNo: '单号？',
    });

    // Assess
    expect(!result.ok && result.issues.map((i) => i.path).sort()).toEqual([
      '$.callId',
      '$.callbackNumber',
      '$.callerNumber',
      '$.menuPath',
      '$.recordingUrl',
      '$.startedAt',
      '$.waybillNo',
    ]);
  });
});

describe('normalizePhone', () => {
  it.each([
    ['+8613800138000', '+8613800138000'],
    ['008613800138000', '+8613800138000'],
    ['8613800138000', '+8613800138000'],
    ['13800138000', '+8613800138000'],
    ['138 0013 8000', '+8613800138000'],
    ['１３８-００１３-８０００', '+8613800138000'],
    ['010-12345678', '+861012345678'],
    ['+86 10 1234 5678', '+861012345678'],
    ['0755-1234567', '+867551234567'],
    ['+852 9123 4567', '+85291234567'],
    ['95543', undefined],
    ['12345678901', undefined],
    ['2112345678', undefined],
    ['call me', undefined],
  ])('%s → %s', (input, expected) => {
    // Act & Assess
    expect(normalizePhone(input)).toBe(expected);
  });
});

describe('toJsonPath', () => {
  it('writes identifiers with dots, indices in brackets and other keys quoted', () => {
    // Act & Assess
    expect(toJsonPath(['Message', 'originationNumber'])).toBe('$.Message.originationNumber');
    expect(toJsonPath(['menuPath', 1])).toBe('$.menuPath[1]');
    expect(toJsonPath(['options', '5', 'label'])).toBe('$.options["5"].label');
    expect(toJsonPath([])).toBe('$');
  });
});
