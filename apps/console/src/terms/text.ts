/**
 * Every word the price and terms parts of the console show (per-unit prices, the market's band on
 * the line form, a new price awaiting the brand, reasons for a no), in one place for the i18n
 * pass: Chinese first, English beside it.
 */
export const TERMS_TEXT = {
  unit: { meter: '米 m', piece: '件 pc' } as Record<string, string>,
  perUnit: (price: string, unit: string): string => `${price}/${unit}`,
  covers: {
    processing: '仅加工费 processing only',
    yarn_included: '含纱 yarn included',
    mixed: '部分含纱 partly yarn included',
  } as Record<string, string>,
  priceCovers: '报价包含 Rate covers',
  priceCoversHint: '含纱仅限织造产线 yarn included: weaving lines only',
  band: {
    title: '市场价区间 Market band',
    loading: '正在读取市场价… Reading the market…',
    none: '暂无同类产线报价 No such lines on the market yet',
    of: (n: number, where: string): string => `${n} 条同类产线 lines · ${where}`,
    market: '全市场 whole market',
    quartiles: (p25: string, median: string, p75: string): string => `P25 ${p25} · 中位数 median ${median} · P75 ${p75}`,
    useMedian: '用中位数 Use the median',
    far: (rate: string, low: string, high: string): string =>
      `费率 ${rate} 远离市场区间（${low}–${high}）。确定按此价保存？ The rate ${rate} is far outside the market band (${low}–${high}). Save it anyway?`,
    farShort: '远离市场区间 far outside the market band',
  },
  approval: {
    title: '新价格待您确认 A new price awaits your approval',
    was: '原价 Agreed',
    now: '新价 New',
    change: (pct: string): string => `涨幅 ${pct} up`,
    completes: '预计完成 Completes',
    why: '原因 Why it moved',
    until: '请在此前答复 Answer by',
    lapse: '逾期未答复视为拒绝 Unanswered by then, it counts as declined',
    approve: '同意新价格 Approve the new price',
    decline: '拒绝 Decline',
    approving: '正在确认… Approving…',
    declining: '正在拒绝… Declining…',
    confirmDecline: '拒绝新价格？订单将转为未匹配（PRICE_ABOVE_AGREED）。 Decline the new price? The order becomes unmatched (PRICE_ABOVE_AGREED).',
  },
  reasons: {
    title: '工厂拒单原因 Why factories said no',
    code: {
      NO_CAPACITY: '产能已满 No free capacity',
      PRICE: '价格太低 The price is too low',
      SPEC: '规格做不了 The spec is beyond the line',
      MATERIAL: '缺原料 Materials are missing',
      OTHER: '其他原因 Another reason',
    } as Record<string, string>,
    note: '备注 Note',
    sumsTitle: '拒单原因（按工厂、原因） Rejections per factory and reason',
    factory: '工厂 Factory',
    reason: '原因 Reason',
    count: '次数 Count',
    none: '暂无拒单 No rejections yet',
  },
  priceColumn: '价格 Price',
  perUnitColumn: '单价 Per unit',
  target: '目标价 Target',
  agreed: '约定价 Agreed',
} as const;
