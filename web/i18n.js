// @ts-check
/**
 * Words of the page in Simplified Chinese (default) and English, and times in Asia/Shanghai.
 * Chinese labels of categories come from the generated intake-rules.json; the status page uses the
 * server's Chinese labels and these English ones.
 */

/** @typedef {'zh' | 'en'} Lang */

const zh = {
  title: '邮政快递服务投诉',
  brand: '邮政快递服务投诉',
  skip: '跳到主要内容',
  switchTo: 'English',
  navLabel: '页面',
  navSubmit: '我要投诉',
  navTrack: '查询进度',
  submitTitle: '我要投诉',
  submitLead: '请告诉我们发生了什么。提交后您会立即得到查询码，可随时查看处理进度。',
  contactLegend: '您的联系方式',
  complaintLegend: '投诉内容',
  optional: '（选填）',
  anonymous: '匿名投诉',
  anonymousHint: '匿名时不填姓名，电话也可不填；但处理单位可能无法联系您。',
  name: '姓名',
  phone: '联系电话',
  phoneHint: '手机或座机，用于处理单位联系您和发送短信回执。',
  email: '电子邮箱',
  waybillNo: '邮件号/运单号',
  waybillNoHint: '如 EA123456789CN，可在快递面单或短信通知中找到。',
  kind: '受理类型',
  kindHint: '投诉、查询或意见建议：三类都有人跟进处理并答复您。',
  category: '投诉类别',
  choose: '请选择',
  content: '投诉内容',
  contentHint: '请写明发生了什么、时间和地点。',
  demand: '您的诉求',
  demandHint: '例如：尽快投递、赔偿、道歉。',
  region: '所在地区',
  regionHint: '省/市/区，帮助我们转给正确的单位。',
  declaredValue: '保价或声明价值（元）',
  privacy: '您的姓名和电话只提供给处理您投诉的人员，不会告知被投诉的员工。',
  submit: '提交投诉',
  submitting: '正在提交…',
  count: '已输入 {n} / {max} 字',
  countOver: '已超出 {k} 字',
  errorsFound: '有 {n} 处需要修改，请查看标红的项目。',
  receiptTitle: '投诉已提交',
  receiptSms: '回执短信将发送至尾号 {n} 的手机；处理进度也会以短信告知。',
  receiptCodeLabel: '您的查询码',
  copy: '复制查询码',
  copied: '已复制',
  nextTitle: '接下来会怎样',
  nextReceived: '我们已受理您的投诉，并会转交给负责的单位处理。',
  nextContact: '处理单位将在 {t} 前与您联系。',
  nextContactDefault: '处理单位一般会在 24 小时内与您联系。',
  nextReply: '处理单位将在 {t} 前答复处理意见。',
  nextCallback: '答复后客服中心会回访您；如您不满意，我们会重新处理。',
  nextKeep: '请保存查询码；留有手机号的，我们也会短信发送回执。',
  viewStatus: '查看处理进度',
  another: '再提交一件投诉',
  trackTitle: '查询投诉进度',
  trackLead: '输入提交投诉时得到的 12 位查询码。',
  trackingCode: '查询码',
  lookup: '查询',
  looking: '正在查询…',
  complaintNo: '投诉 {code}',
  statusNow: '当前状态',
  kindLabel: '受理类型',
  categoryLabel: '投诉类别',
  waybillLabel: '邮件号',
  complainant: '投诉人',
  phoneLabel: '电话',
  submittedAt: '提交时间',
  upcoming: '接下来',
  deadline_first_contact: '处理单位将在 {t} 前与您联系',
  deadline_reply: '处理单位将在 {t} 前答复您',
  deadline_callback: '客服中心将在 {t} 前回访您',
  deadline_next_contact: '处理单位约定在 {t} 前再次联系您',
  deadline_other: '{label}：{t} 前',
  deadlineBreached: '（已超时，我们已督促加快处理）',
  deadlineExtended: '期限已延长，原因：{reason}',
  deadlineProvisional: '（预计：当年节假日安排尚未公布，按法定假日推算）',
  appealTitle: '向邮政管理部门申诉',
  appealRoute:
    '您的投诉已于 {t} 满7日仍未得到答复，可拨打邮政业消费者申诉电话 {hotline}（省会区号-{hotline}），或登录国家邮政局申诉网站、微信服务号“yz12305”申诉。',
  resultTitle: '处理结果',
  resolved: '已解决',
  unresolved: '未解决',
  timeline: '处理进度',
  beijingTime: '以上时间均为北京时间。',
  refresh: '刷新',
  anonymousShown: '匿名',
  raw: '{text}',
  colon: '：',
  errorPrefix: '错误：',
  // Field errors: `e_<code>_<field>` first, then `e_<code>` (see app.js `message`).
  e_required: '请填写{label}',
  e_required_category: '请选择投诉类别',
  e_required_code: '请输入查询码',
  e_phone_required: '请填写联系电话，或勾选“匿名投诉”',
  e_too_long: '{label}最多 {max} 字，现在是 {n} 字',
  e_too_short: '请填写{label}',
  e_type: '请输入数字，如 200',
  e_too_small: '{label}不能小于 {min}',
  e_too_big: '{label}不能大于 {max}',
  e_enum: '请从列表中选择{label}',
  e_pattern: '{label}格式不正确',
  e_pattern_phone: '请输入正确的手机号（如 13800138000）、带区号的座机号（如 020-12345678）或国际号码（如 +85291234567）',
  e_pattern_waybillNo: '邮件号应为 8–30 位字母或数字',
  e_pattern_code: '查询码为 12 位字母和数字',
  e_format_email: '请输入正确的电子邮箱，如 name@example.com',
  e_not_found_code: '没有找到这个查询码对应的投诉，请核对后重试。',
  e_unknown: '{label}不能提交',
  e_server: '未通过服务器校验：{message}',
  rateLimited: '提交过于频繁，请 {s} 秒后再试。您填写的内容已保留。',
  network: '网络连接失败，您填写的内容已保留。请检查网络后再次提交，不会重复投诉。',
  serverDown: '系统暂时无法处理，请稍后再试。您填写的内容已保留。',
  rulesMissing: '校验规则加载失败，提交时将由服务器检查。',
};

/** @type {Record<keyof typeof zh, string>} */
const en = {
  title: 'Postal and express service complaints',
  brand: 'Postal & express complaints',
  skip: 'Skip to main content',
  switchTo: '中文',
  navLabel: 'Pages',
  navSubmit: 'Make a complaint',
  navTrack: 'Check progress',
  submitTitle: 'Make a complaint',
  submitLead: 'Tell us what happened. You get a tracking code at once and can check progress at any time.',
  contactLegend: 'Your contact details',
  complaintLegend: 'Your complaint',
  optional: ' (optional)',
  anonymous: 'Complain anonymously',
  anonymousHint: 'No name is needed and the phone number becomes optional, but the handling unit may not be able to contact you.',
  name: 'Name',
  phone: 'Phone number',
  phoneHint: 'Mobile or landline, so that the handling unit can contact you and we can text your receipt.',
  email: 'Email',
  waybillNo: 'Mail / waybill number',
  waybillNoHint: 'For example EA123456789CN, printed on the label or in the delivery text message.',
  kind: 'Type',
  kindHint: 'A complaint, an inquiry or a suggestion: each one is followed up and answered.',
  category: 'Category',
  choose: 'Choose',
  content: 'What happened',
  contentHint: 'Say what happened, when and where.',
  demand: 'What you ask for',
  demandHint: 'For example: deliver soon, compensation, an apology.',
  region: 'Region',
  regionHint: 'Province / city / district, so we pass it to the right unit.',
  declaredValue: 'Insured or declared value (CNY)',
  privacy: 'Your name and phone are shown only to the people handling your complaint, never to the staff member complained about.',
  submit: 'Send complaint',
  submitting: 'Sending…',
  count: '{n} of {max} characters',
  countOver: '{k} characters too many',
  errorsFound: '{n} answers need changing; see the fields marked in red.',
  receiptTitle: 'Complaint received',
  receiptSms: 'We text the receipt to the mobile ending in {n}; progress is texted there too.',
  receiptCodeLabel: 'Your tracking code',
  copy: 'Copy tracking code',
  copied: 'Copied',
  nextTitle: 'What happens next',
  nextReceived: 'We have registered your complaint and will pass it to the responsible unit.',
  nextContact: 'The handling unit will contact you by {t}.',
  nextContactDefault: 'The handling unit usually contacts you within 24 hours.',
  nextReply: 'The handling unit will reply with its decision by {t}.',
  nextCallback: 'After the reply the service centre will call you back; if you are not satisfied, it is handled again.',
  nextKeep: 'Keep the tracking code. If you gave a mobile number, we also text you the receipt.',
  viewStatus: 'Check progress',
  another: 'Make another complaint',
  trackTitle: 'Check the progress of a complaint',
  trackLead: 'Enter the 12-character tracking code you got when you complained.',
  trackingCode: 'Tracking code',
  lookup: 'Check',
  looking: 'Checking…',
  complaintNo: 'Complaint {code}',
  statusNow: 'Status',
  kindLabel: 'Type',
  categoryLabel: 'Category',
  waybillLabel: 'Mail number',
  complainant: 'Complainant',
  phoneLabel: 'Phone',
  submittedAt: 'Sent',
  upcoming: 'What happens next',
  deadline_first_contact: 'The handling unit will contact you by {t}',
  deadline_reply: 'The handling unit will reply to you by {t}',
  deadline_callback: 'The service centre will call you back by {t}',
  deadline_next_contact: 'The handling unit promised to contact you again by {t}',
  deadline_other: '{label}: by {t}',
  deadlineBreached: ' (overdue; we have asked them to hurry)',
  deadlineExtended: 'Deadline extended: {reason}',
  deadlineProvisional: ' (estimated: the official holiday schedule for that year is not yet published)',
  appealTitle: 'Appeal to the postal regulator',
  appealRoute:
    'Seven days passed on {t} without an answer. You can appeal to the postal regulator: call {hotline} (provincial capital area code-{hotline}), or use the State Post Bureau appeal website or the WeChat account “yz12305”.',
  resultTitle: 'Result',
  resolved: 'Resolved',
  unresolved: 'Not resolved',
  timeline: 'Progress',
  beijingTime: 'All times are Beijing time.',
  refresh: 'Refresh',
  anonymousShown: 'Anonymous',
  raw: '{text}',
  colon: ': ',
  errorPrefix: 'Error: ',
  e_required: '{label}: this is required',
  e_required_category: 'Choose a category',
  e_required_code: 'Enter the tracking code',
  e_phone_required: 'Enter a phone number, or tick “Complain anonymously”',
  e_too_long: '{label} can be at most {max} characters; it has {n}',
  e_too_short: '{label}: this is required',
  e_type: 'Enter a number, like 200',
  e_too_small: '{label} cannot be less than {min}',
  e_too_big: '{label} cannot be more than {max}',
  e_enum: 'Choose a {label} from the list',
  e_pattern: '{label} is not in the right format',
  e_pattern_phone: 'Enter a mobile (like 13800138000), a landline with its area code (like 020-12345678) or an international number (like +85291234567)',
  e_pattern_waybillNo: 'A mail number has 8 to 30 letters and digits',
  e_pattern_code: 'A tracking code has 12 letters and digits',
  e_format_email: 'Enter an email address like name@example.com',
  e_not_found_code: 'No complaint has this tracking code. Please check it and try again.',
  e_unknown: '{label} cannot be sent',
  e_server: 'Not accepted by the server: {message}',
  rateLimited: 'Too many attempts. Please try again in {s} seconds; your answers are kept.',
  network: 'Could not connect. Your answers are kept: check your connection and send again — it will not be filed twice.',
  serverDown: 'The service is having a problem. Please try again later; your answers are kept.',
  rulesMissing: 'Could not load the checks; the server will check your answers when you send them.',
};

/** English words for server-side enums; the Chinese ones come from the server or intake-rules.json. */
const enEnums = {
  kind: { complaint: 'Complaint', inquiry: 'Inquiry', feedback: 'Suggestion / feedback' },
  category: {
    loss: 'Lost item',
    delay: 'Delay',
    damage: 'Damaged / missing contents',
    wrong_delivery: 'Improper delivery / signed by others',
    attitude: 'Staff attitude',
    notification: 'Not notified',
    fee: 'Fee dispute',
    privacy: 'Personal data leaked',
    harassment: 'Harassment',
    other: 'Other',
  },
  status: {
    received: 'Received',
    dispatched: 'With the responsible unit',
    contacted: 'In progress (you were contacted)',
    replied: 'Replied, callback pending',
    closed: 'Closed',
    suspended: 'Temporarily closed',
    withdrawn: 'Withdrawn',
  },
  milestone: {
    received: 'Complaint received',
    dispatched: 'Passed to the responsible unit',
    contacted: 'The handling unit contacted you',
    replied: 'The handling unit replied',
    redispatched: 'Sent back for further handling',
    callback_recorded: 'The service centre called you back',
    callback_waived: 'Complaint closed',
    closed: 'Complaint closed',
    suspended: 'Temporarily closed',
    reopened: 'Complaint reopened',
    withdrawn: 'Complaint withdrawn',
    withdrawal_contested: 'You said the withdrawal was not voluntary: the complaint goes on',
    chased: 'We received your reminder',
    deadline_extended: 'Deadline extended',
  },
};

/** @type {Lang} */
let current = 'zh';
export const STRINGS = { zh, en };
export const lang = () => current;
/** Whether the tables have a text for `key`. */
export const has = (/** @type {string} */ key) => key in zh;
export const setLang = (/** @type {Lang} */ l) => {
  current = l;
};

/**
 * The current language's text for `key`, with `{name}` placeholders filled in.
 * @param {string} key @param {Record<string, string | number | undefined>} [params]
 */
export function t(key, params = {}) {
  const table = /** @type {Record<string, string>} */ (STRINGS[current]);
  const text = table[key] ?? /** @type {Record<string, string>} */ (zh)[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ''));
}

/**
 * English label of an enum value, or the Chinese one given (from the server or the rules file).
 * @param {'category' | 'kind' | 'status' | 'milestone'} kind @param {string} value @param {string | undefined} zhLabel
 */
export function enumLabel(kind, value, zhLabel) {
  if (current === 'en') return /** @type {Record<string, string>} */ (enEnums[kind])[value] ?? zhLabel ?? value;
  return zhLabel ?? value;
}

const ZONE = 'Asia/Shanghai';
const dayKey = (/** @type {Date} */ d) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(d); // 2025-06-03

/**
 * A time in Beijing time, in plain words: "今天 14:30", "明天 09:00", "6月3日（周二）14:30".
 * @param {string} iso @param {Date} [now]
 */
export function when(iso, now = new Date()) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const locale = current === 'zh' ? 'zh-CN' : 'en-GB';
  const time = new Intl.DateTimeFormat(locale, { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
  const days = Math.round((Date.parse(dayKey(d)) - Date.parse(dayKey(now))) / 86_400_000);
  const words = current === 'zh' ? { '-1': '昨天', 0: '今天', 1: '明天', 2: '后天' } : { '-1': 'yesterday', 0: 'today', 1: 'tomorrow' };
  const near = /** @type {Record<string, string>} */ (words)[String(days)];
  const sep = current === 'zh' ? ' ' : ' at ';
  if (near) return `${near}${sep}${time}`;
  const sameYear = dayKey(d).slice(0, 4) === dayKey(now).slice(0, 4);
  const date = new Intl.DateTimeFormat(locale, {
    timeZone: ZONE,
    month: current === 'zh' ? 'long' : 'short',
    day: 'numeric',
    weekday: 'short',
    ...(sameYear ? {} : { year: 'numeric' }),
  }).format(d);
  return `${date}${sep}${time}`;
}
