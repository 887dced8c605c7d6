/** Every word of the line calendar and the offer queue's filter: English with the Chinese beside it, for the i18n pass. */
export const CALENDAR_TEXT = {
  open: 'Calendar 排产日历',
  close: 'Hide calendar 收起日历',
  title: (line: string): string => `${line} — calendar 排产日历`,
  loading: 'Loading the calendar 加载日历',
  closed: 'Closed 停产',
  free: 'free 空闲',
  booked: 'booked 已排',
  of: 'of 共',
  work: 'Work on this day 当日任务',
  noWork: 'Nothing booked 无排产',
  status: { offered: 'offered 待确认', accepted: 'accepted 已接单', in_production: 'in production 生产中', produced: 'produced 已完成' } as Record<string, string>,
  earlier: '‹ Earlier 更早',
  later: 'Later 更晚 ›',
  allLines: 'All lines 全部产线',
  byLine: 'Line 产线',
} as const;
