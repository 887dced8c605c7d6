import type { ReactNode } from 'react';
import type { Quote, StyleQuote } from '@cloudloom/contracts';
import { useDomain } from '../i18n/domain';
import { unitPrice } from '../terms/prices';
import { stageMiss, stageQuantity } from './stage-words';

/** What `POST /quotes` answers: a fabric or garment order's quote carries no `kind`, a style's says so. */
export type AnyQuote = (Quote & { kind?: undefined }) | StyleQuote;

/** The instant quote under the order form: nothing reserved, only what posting now would give. */
export function QuoteView({ quote }: { quote: AnyQuote }): ReactNode {
  const domain = useDomain();
  const { t, f, reason } = domain;
  if (!quote.feasible) {
    return (
      <div className="quote no" data-testid="quote">
        <strong>{t('quote.noPlan')}</strong>
        <ul>{quote.reasons.map((r) => <li key={r.code} data-code={r.code}>{reason({ lines: 0, ...r })}</li>)}</ul>
        <span className="muted small" data-testid="quote-miss">
          {quote.kind === 'style' ? stageMiss(domain, quote.failedStage, quote.closestMiss) : t('quote.closest', { covered: f.pct(quote.closestMiss.coveredFraction) })}
        </span>
      </div>
    );
  }
  return (
    <div className="quote ok" data-testid="quote">
      <strong>{t('quote.title')}</strong>
      {quote.kind === 'style' ? (
        <>
          <div className="quote-figures">
            <span data-testid="quote-price"><span className="muted">{t('quote.price')}</span> {f.cny(quote.price)} <span className="muted small">({unitPrice(domain, quote.pricePerUnit, 'piece')})</span></span>
            <span data-testid="quote-ready"><span className="muted">{t('quote.readyBy')}</span> {f.day(quote.readyDate)}</span>
            <span><span className="muted">{t('quote.slack')}</span> {t('quote.slackDays', { count: quote.slackDays })}</span>
          </div>
          <ol className="quote-stages">
            {quote.stages.map((s) => (
              <li key={s.kind} data-testid="quote-stage" data-stage={s.kind}>
                <strong>{domain.word('lineKind', s.kind)}</strong> {stageQuantity(domain, s.quantity, s.unit)} · {f.day(s.startDate)} → {f.day(s.endDate)} · {f.cny(s.price)}
                <span className="muted small"> ({unitPrice(domain, s.pricePerUnit, s.unit === 'meters' ? 'meter' : 'piece')}, {t(`terms.covers.${s.priceCovers}`)}) · {t('quote.spread', { lines: s.lines, factories: s.factories })}</span>
              </li>
            ))}
          </ol>
        </>
      ) : (
        <div className="quote-figures">
          <span data-testid="quote-price"><span className="muted">{t('quote.price')}</span> {f.cny(quote.price)} <span className="muted small">({unitPrice(domain, quote.pricePerUnit, quote.unit)}, {t(`terms.covers.${quote.priceCovers}`)})</span></span>
          <span><span className="muted">{t('quote.readyBy')}</span> {f.day(quote.earliestCompletion)}</span>
          <span><span className="muted">{t('quote.slack')}</span> {t('quote.slackDays', { count: quote.slackDays })}</span>
          <span><span className="muted">{t('quote.on')}</span> {t('quote.spread', { lines: quote.splits, factories: quote.factories })}</span>
        </div>
      )}
      {quote.withinTargetPrice === false ? <span className="field-error">{t('quote.aboveTarget')}</span> : null}
      <span className="muted small">{t('quote.nothingReserved')}</span>
    </div>
  );
}
