/**
 * Every word the lot pages show, in one place for the i18n pass: English with the Chinese beside
 * it, as on the printed labels.
 */
export const LOT_TEXT = {
  lots: 'Lots 批次',
  showLots: 'Lots',
  hideLots: 'Hide lots',
  none: 'No lots recorded yet. 尚无批次',
  kind: 'Kind 类型',
  quantity: 'Quantity 数量',
  inputs: 'Made from (identifiers, one per line) 投入批次',
  record: 'Record lot 登记批次',
  printLabels: 'Print labels 打印标签',
  counted: (n: string, of: string, unit: string): string => `Lots add up to ${n} of ${of} ${unit} 已登记`,
  kinds: { roll: 'Roll 布卷', batch: 'Batch 后整理批', bundle: 'Bundle 扎', carton: 'Carton 箱' } as Record<string, string>,
  page: {
    title: 'Lot 批次标识',
    loading: 'Resolving 解析中',
    product: 'Product 产品',
    quantity: 'Quantity 数量',
    madeIn: 'Made in 产地',
    madeOn: 'Made on 生产日期',
    chain: 'The chain 追溯链',
    order: 'Order 订单',
    due: 'due',
    factory: 'Factory 工厂',
    line: 'Line 产线',
    machines: 'Machines while it was made 生产期间设备',
    stops: (n: number, minutes: number): string => (n === 0 ? 'no stops 无停机' : `${n} stop${n === 1 ? '' : 's'}, ${minutes} min down 停机`),
    noMachines: 'No machines reporting 无设备数据',
    madeFrom: 'Made from 投入',
    publicOnly: 'Sign in to the console as the order’s brand or one of its factories to see the whole chain. 登录后可查看完整追溯链',
    home: 'Open the console 打开控制台',
  },
} as const;
