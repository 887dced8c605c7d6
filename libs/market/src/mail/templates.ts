import type { Mail } from './mailer';

export type Locale = 'zh-CN' | 'en';

/**
 * Every mail the platform sends, in both languages, in one place (the i18n pass translates
 * here). Links point at the console; the token is in the fragment so it never reaches a log.
 */
const TEXT = {
  invitation: {
    'zh-CN': { subject: (org: string) => `${org} 邀请您加入 cloudloom`, body: (org: string, role: string, link: string, hours: number) => `您好，\n\n${org} 邀请您以「${ROLE_NAMES['zh-CN'][role] ?? role}」身份加入 cloudloom。\n请在 ${hours} 小时内打开下面的链接设置密码：\n\n${link}\n\n如果您不认识这个组织，请忽略此邮件。\n` },
    en: { subject: (org: string) => `${org} invites you to cloudloom`, body: (org: string, role: string, link: string, hours: number) => `Hello,\n\n${org} invites you to cloudloom as ${ROLE_NAMES.en[role] ?? role}.\nOpen this link within ${hours} hours to set your password:\n\n${link}\n\nIf you do not know this organization, ignore this mail.\n` },
  },
  reset: {
    'zh-CN': { subject: () => 'cloudloom 密码重置', body: (link: string, minutes: number) => `您好，\n\n有人请求重置您的 cloudloom 密码。请在 ${minutes} 分钟内打开下面的链接设置新密码（链接只能使用一次）：\n\n${link}\n\n如果不是您本人操作，请忽略此邮件，您的密码不会改变。\n` },
    en: { subject: () => 'Reset your cloudloom password', body: (link: string, minutes: number) => `Hello,\n\nSomeone asked to reset your cloudloom password. Open this link within ${minutes} minutes to choose a new one (it works once):\n\n${link}\n\nIf this was not you, ignore this mail: your password stays as it is.\n` },
  },
  event: {
    'zh-CN': { subject: (what: string) => `cloudloom：${what}`, body: (what: string, ref: string, at: string, link: string) => `您好，\n\n${what}${ref ? `（${ref}）` : ''}，时间 ${at}。\n\n在控制台查看：${link}\n\n您可以在个人设置中更改邮件提醒。\n` },
    en: { subject: (what: string) => `cloudloom: ${what}`, body: (what: string, ref: string, at: string, link: string) => `Hello,\n\n${what}${ref ? ` (${ref})` : ''} at ${at}.\n\nSee it in the console: ${link}\n\nYou can change which mails you get in your settings.\n` },
  },
} as const;

const ROLE_NAMES: Record<Locale, Record<string, string>> = {
  'zh-CN': { owner: '所有者', merchandiser: '跟单员', dispatcher: '调度员', viewer: '只读成员', operator: '平台运营' },
  en: { owner: 'owner', merchandiser: 'merchandiser', dispatcher: 'dispatcher', viewer: 'viewer', operator: 'operator' },
};

/** What happened, per event type, in words; a type without an entry is shown as its name. */
const EVENT_NAMES: Record<Locale, Record<string, string>> = {
  'zh-CN': {
    'order.posted': '订单已提交', 'order.matched': '订单已匹配', 'order.unmatched': '订单暂未匹配', 'order.partial': '订单部分匹配', 'order.confirmed': '订单已确认',
    'order.in_production': '订单已投产', 'order.completed': '订单已完成', 'order.cancelled': '订单已取消', 'order.expired': '订单已过期', 'offer.created': '收到新的派单',
    'offer.accepted': '派单已接受', 'offer.rejected': '派单被拒绝', 'offer.expired': '派单已过期', 'allocation.progress': '生产进度更新', 'allocation.replanned': '排产已调整', 'line.changed': '产线已变更',
    'offer.countered': '工厂提出了还价', 'offer.counter_accepted': '还价已接受', 'offer.counter_declined': '还价被拒绝', 'offer.counter_lapsed': '还价已过期', 'offer.message': '派单有新消息',
    'alert.raised': '雷达预警', 'alert.cleared': '雷达预警已解除',
    'order.stage_moved': '后续工序已改期',
    'order.awaiting_approval': '新价格待确认', 'order.price_approved': '新价格已同意', 'order.price_declined': '新价格被拒绝',
  },
  en: {
    'order.posted': 'Order posted', 'order.matched': 'Order matched', 'order.unmatched': 'Order not matched yet', 'order.partial': 'Order partly matched', 'order.confirmed': 'Order confirmed',
    'order.in_production': 'Order in production', 'order.completed': 'Order completed', 'order.cancelled': 'Order cancelled', 'order.expired': 'Order expired', 'offer.created': 'New offer',
    'offer.accepted': 'Offer accepted', 'offer.rejected': 'Offer rejected', 'offer.expired': 'Offer expired', 'allocation.progress': 'Production progress', 'allocation.replanned': 'Work re-planned', 'line.changed': 'Line changed',
    'offer.countered': 'Counteroffer from the factory', 'offer.counter_accepted': 'Counteroffer accepted', 'offer.counter_declined': 'Counteroffer declined', 'offer.counter_lapsed': 'Counteroffer lapsed', 'offer.message': 'New message on an offer',
    'alert.raised': 'Radar alert raised', 'alert.cleared': 'Radar alert cleared',
    'order.stage_moved': 'A later stage moved',
    'order.awaiting_approval': 'New price awaits approval', 'order.price_approved': 'New price approved', 'order.price_declined': 'New price declined',
  },
};

export function invitationMail(to: string, locale: Locale, organization: string, role: string, link: string, hours: number): Mail {
  const t = TEXT.invitation[locale];
  return { to, subject: t.subject(organization), text: t.body(organization, role, link, hours) };
}

export function resetMail(to: string, locale: Locale, link: string, minutes: number): Mail {
  const t = TEXT.reset[locale];
  return { to, subject: t.subject(), text: t.body(link, minutes) };
}

export function eventMail(to: string, locale: Locale, type: string, orderId: string | null, at: Date, link: string): Mail {
  const t = TEXT.event[locale];
  const what = EVENT_NAMES[locale][type] ?? type;
  const ref = orderId ? (locale === 'en' ? `order ${orderId}` : `订单 ${orderId}`) : '';
  return { to, subject: t.subject(what), text: t.body(what, ref, at.toISOString(), link) };
}
