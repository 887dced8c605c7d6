import i18next from 'i18next';
import { en } from '../../apps/console/src/i18n/en';
import { localizeFieldError } from '../../apps/console/src/i18n/problem';
import { zhCN } from '../../apps/console/src/i18n/zh-CN';

/** The API's field messages as the order form shows them beside each field, in Chinese. */
describe('field errors in the person language', () => {
  let say: (field: string, message: string) => string;
  beforeAll(async () => {
    const i18n = i18next.createInstance();
    await i18n.init({ lng: 'zh-CN', resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } }, interpolation: { escapeValue: false } });
    say = (field, message) => localizeFieldError(i18n.t, (k) => i18n.exists(k), field, message);
  });

  it('says a bound with its number', () => {
    expect(say('fabricPerPieceM', 'fabricPerPieceM must not be less than 0.05')).toBe('单件用料不能小于 0.05。');
    expect(say('fabric.widthCm', 'fabric.widthCm must not be greater than 400')).toBe('门幅不能大于 400。');
  });

  it('says what the sizes add up to against the quantity', () => {
    expect(say('sizes', 'must sum to the quantity (300 pieces); these sizes sum to 280')).toBe('尺码合计 280 件，与数量 300 件不符。');
  });

  it('says a due date before the earliest start', () => {
    expect(say('dueDate', 'must be on or after earliestStart')).toBe('交期不能早于最早开工日。');
  });

  it('shows a message it does not know as the API sent it', () => {
    expect(say('sizes', 'size M is listed twice')).toBe('size M is listed twice');
  });
});
