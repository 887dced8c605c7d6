/**
 * Every word the counteroffer and conversation panels show, in one place for the i18n pass:
 * English with the Chinese beside it, as the lot pages do.
 */
export const TERMS_TEXT = {
  counter: 'Counter 还价',
  counterOffer: 'Counter… 还价',
  counterPrice: 'Your price, CNY for this offer 您的报价（元）',
  counterEndDate: 'Later end date 延后交期',
  counterNote: 'Why 说明',
  sendCounter: 'Send counter 发送还价',
  back: 'Back 返回',
  waiting: 'Waiting for the brand until the offer expires 等待品牌方答复（派单到期前）',
  accept: 'Accept counter 接受还价',
  decline: 'Decline 拒绝还价',
  asked: (price: string, end: string): string => `The factory asks ${price}${end} 工厂还价`,
  byEnd: (date: string): string => `, done by ${date}`,
  status: { open: 'open 待答复', accepted: 'accepted 已接受', declined: 'declined 已拒绝', lapsed: 'lapsed 已过期', withdrawn: 'withdrawn 已撤回' } as Record<string, string>,
  byTolerance: 'within your standing tolerance 在您的自动接受范围内',
  messages: 'Messages 消息',
  hideMessages: 'Hide messages 收起消息',
  noMessages: 'No messages yet. 暂无消息',
  messageLabel: 'Message 消息内容',
  send: 'Send 发送',
  you: 'You 我方',
  brand: 'Brand 品牌方',
  factory: 'Factory 工厂',
} as const;
