import { type ReactNode, useEffect, useState } from 'react';
import type { ChainLot, LotResolution } from '@cloudloom/contracts';
import { api, type ApiProblem, asProblem } from '../api';
import { useSession } from '../session';
import { useDomain } from '../i18n/domain';
import { LanguageSwitch } from '../i18n/LanguageSwitch';
import { Loading, ProblemBox } from '../ui';

/** The identifier in this page's path: `/id/<prefix>/<kind>.<code>`. */
export const identifierInPath = (path: string): string | undefined => (path.startsWith('/id/') ? decodeURIComponent(path.slice(4)) : undefined);

function ChainLotCard({ lot }: { lot: ChainLot }): ReactNode {
  const { t, f, word } = useDomain();
  return (
    <li className="chain-lot" data-testid="chain-lot" data-kind={lot.kind}>
      <div><strong>{word('lotKind', lot.kind)}</strong> · {f.num(lot.quantity)} {lot.unit} · {lot.madeAt.slice(0, 10)}</div>
      <div className="mono small">{lot.identifier}</div>
      <div>{t('lots.page.factory')}: <strong>{lot.factory.name}</strong>{lot.factory.city ? ` · ${lot.factory.city}` : ''}</div>
      <div>{t('lots.page.line')}: <strong data-testid="chain-line">{lot.line.name}</strong> ({lot.stage})</div>
      <div className="muted small">{t('lots.page.machines')}</div>
      {lot.machines.length === 0 ? <div className="muted small">{t('lots.page.noMachines')}</div> : (
        <ul className="machines">
          {lot.machines.map((m) => <li key={m.id} data-testid="chain-machine"><span className="mono">{m.externalId}</span>: {m.stops === 0 ? t('lots.page.noStops') : t('lots.page.stops', { n: m.stops, minutes: Math.round(m.downSeconds / 60) })}</li>)}
        </ul>
      )}
      {lot.inputs.length > 0 ? (
        <div>{t('lots.page.madeFrom')}: {lot.inputs.map((i) => <a key={i} href={`/id/${i}`} className="mono small block">{i}</a>)}</div>
      ) : null}
    </li>
  );
}

/**
 * The phone page a lot's QR code opens (390 px wide and up): the public part to anyone; the
 * whole chain, back to the looms, when this tab is signed in as one of the order's parties.
 */
export function IdPage({ identifier }: { identifier: string }): ReactNode {
  const { t, f, word } = useDomain();
  const { key } = useSession();
  const [found, setFound] = useState<LotResolution>();
  const [problem, setProblem] = useState<ApiProblem>();
  useEffect(() => {
    setFound(undefined);
    setProblem(undefined);
    api<LotResolution>('GET', `/id/${encodeURIComponent(identifier)}`, undefined, key).then(setFound, (e: unknown) => setProblem(asProblem(e)));
  }, [identifier, key]);
  return (
    <main className="id-page" data-testid="id-page">
      <div className="row"><h1>{t('lots.page.title')}</h1><LanguageSwitch /></div>
      <div className="mono small">{identifier}</div>
      {problem ? <ProblemBox problem={problem} /> : null}
      {!found && !problem ? <Loading rows={3} label={t('lots.page.loading')} /> : null}
      {found ? (
        <>
          <dl className="facts">
            <dt>{t('lots.page.product')}</dt><dd data-testid="id-product">{word('lotKind', found.kind)} · {found.product}</dd>
            <dt>{t('lots.page.quantity')}</dt><dd>{f.num(found.quantity)} {found.unit}</dd>
            <dt>{t('lots.page.madeIn')}</dt><dd>{found.city ?? '—'}</dd>
            <dt>{t('lots.page.madeOn')}</dt><dd>{found.madeOn}</dd>
          </dl>
          {found.chain ? (
            <section data-testid="chain">
              <h2>{t('lots.page.chain')}</h2>
              <div>{t('lots.page.order')}: {found.chain.order.product} · {f.num(found.chain.order.quantity)} {found.chain.order.unit} · {t('lots.page.due')} {found.chain.order.dueDate}</div>
              <ul className="chain">{found.chain.lots.map((l) => <ChainLotCard key={l.identifier} lot={l} />)}</ul>
            </section>
          ) : (
            <p className="muted small">{t('lots.page.publicOnly')}</p>
          )}
        </>
      ) : null}
      <p><a href="/">{t('lots.page.home')}</a></p>
    </main>
  );
}
