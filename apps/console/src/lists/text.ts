/**
 * Every word of the order lists' search, filters, sort and pages, and of the operator's groups
 * and history: English with the Chinese beside it, in one place for the i18n pass.
 */
export const LIST_TEXT = {
  search: 'Search 搜索',
  searchHint: 'id, fabric, weave, garment, certification 订单号、面料、组织、品类、认证',
  searchHintOperator: 'id, brand, fabric, weave, garment 订单号、品牌、面料、品类',
  status: 'Filter by status 按状态筛选',
  kind: 'Kind 类型',
  kinds: { all: 'All 全部', fabric: 'Fabric 面料', garment: 'Garment 成衣' } as Record<string, string>,
  dueFrom: 'Due from 交期从',
  dueTo: 'Due to 交期至',
  sort: 'Sort 排序',
  sorts: {
    '-created': 'Newest first 最新发布',
    created: 'Oldest first 最早发布',
    due: 'Due soonest 交期最近',
    '-due': 'Due latest 交期最远',
    '-price': 'Dearest first 价格从高到低',
    price: 'Cheapest first 价格从低到高',
  } as Record<string, string>,
  clear: 'Clear 清除',
  previous: '‹ Previous 上一页',
  next: 'Next 下一页 ›',
  pageOf: (page: number, pages: number, total: number): string => `Page ${page} of ${pages} · ${total} orders 第 ${page}/${pages} 页 · 共 ${total} 单`,
  none: 'No orders match 没有符合条件的订单',
  noneHint: 'Change the words or the filters. 请调整搜索词或筛选条件',
  groups: {
    all: 'All 全部',
    active: 'Active 进行中',
    waiting: 'Unmatched 未匹配',
    done: 'Done 已结束',
  } as Record<string, string>,
  unmatched: {
    title: 'Unmatched by reason 未匹配原因',
    total: (n: number): string => `${n} orders without a plan 个订单暂无方案`,
    orders: (n: number): string => `${n} orders 单`,
    soonest: 'soonest due 最近交期',
    show: 'Show these orders 查看这些订单',
    none: 'Every order has a plan. 所有订单均已匹配',
  },
  history: {
    title: 'History 历史',
    open: 'History 历史',
    close: 'Hide history 收起历史',
    none: 'No events yet 暂无事件',
    platform: 'platform 平台',
  },
} as const;
