import i18next from 'i18next';
import { whyTheStageIsLate, whyTheStageSlipped } from '@cloudloom/market';
import type { AllocationStatus } from '@cloudloom/persistence';
import { slipReason, stageMoved } from '../../apps/console/src/brand/stage-words';
import { domainOf } from '../../apps/console/src/i18n/domain';
import { en } from '../../apps/console/src/i18n/en';
import { formatFor } from '../../apps/console/src/i18n/format';
import { zhCN } from '../../apps/console/src/i18n/zh-CN';

/** The console's words for a language, as the page has them. */
async function domainIn(language: 'en' | 'zh-CN') {
  const i18n = i18next.createInstance();
  await i18n.init({ lng: language, resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } }, interpolation: { escapeValue: false } });
  return domainOf(i18n.t, formatFor(language, 'Asia/Shanghai'));
}

type EarlierAllocation = Parameters<typeof whyTheStageSlipped>[0][number];
const earlier = (status: AllocationStatus): EarlierAllocation => ({
  id: status, factoryId: 'f', lineId: 'l', quantity: 618, producedQuantity: 0, status, price: 10, stage: 'weaving', startDate: '2026-12-08', endDate: '2026-12-08',
});

/**
 * The `order.stage_moved` event says why for software (`causes`, a late forecast's dates) and in
 * English for API users (`reason`); the console words the causes in the reader's language. Every
 * cause the matcher writes is checked here, and in English the console says what the server says.
 */
describe('why a stage moved, in the brand language', () => {
  const slips = [
    ...[[], ['rejected'], ['expired'], ['cancelled'], ['rejected', 'expired', 'cancelled']].map((statuses) =>
      whyTheStageSlipped((statuses as AllocationStatus[]).map(earlier), 'weaving')),
    whyTheStageIsLate({ index: 0, kind: 'weaving', plannedEnd: '2026-12-10', forecastEnd: '2026-12-12' }),
  ];
  const moved = (i: number) => ({ after: 'weaving' as const, ...slips[i]! });

  it('says every cause the matcher writes in Chinese, with no English left', async () => {
    const zh = await domainIn('zh-CN');
    expect(slips.map((_, i) => slipReason(zh, moved(i)))).toEqual([
      '织造工序重新排产',
      '织造派单被工厂拒绝',
      '织造派单超时未回复',
      '织造产能减少（停机或产线调整）',
      '织造派单被工厂拒绝；织造派单超时未回复；织造产能减少（停机或产线调整）',
      '织造工序预计 2026-12-12 完成，晚于计划的 2026-12-10',
    ]);
  });

  it('says in English what the server says', async () => {
    const english = await domainIn('en');
    expect(slips.map((_, i) => slipReason(english, moved(i)))).toEqual(slips.map((s) => s.reason.replace("stage's production forecast ends", 'stage is forecast to end')));
  });

  it('names the stage that moved, its new and old days and why', async () => {
    const event = { orderId: 'o', stage: 'sewing', after: 'weaving', ...slips[1]!, from: { startDate: '2026-12-12', endDate: '2026-12-13' }, to: { startDate: '2026-12-13', endDate: '2026-12-14' }, released: ['a'] } as const;
    expect(stageMoved(await domainIn('zh-CN'), event)).toBe('缝制工序改到 2026-12-13 – 2026-12-14（原定 2026-12-12 – 2026-12-13），原因：织造派单被工厂拒绝。');
    expect(stageMoved(await domainIn('en'), event)).toBe('The sewing stage moved to 2026-12-13 – 2026-12-14 (was 2026-12-12 – 2026-12-13) because the weaving offer was declined.');
    expect(stageMoved(await domainIn('en'), { ...event, from: null })).toBe('The sewing stage is now planned for 2026-12-13 – 2026-12-14 because the weaving offer was declined.');
  });
});
