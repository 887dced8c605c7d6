import { type ReactNode, useEffect, useState } from 'react';
import type { ChainLot, LotResolution } from '@cloudloom/contracts';
import { api, type ApiProblem, asProblem } from '../api';
import { useSession } from '../session';
import { Loading, num, ProblemBox } from '../ui';
import { LOT_TEXT } from './text';

const T = LOT_TEXT.page;

/** The identifier in this page's path: `/id/<prefix>/<kind>.<code>`. */
export const identifierInPath = (path: string): string | undefined => (path.startsWith('/id/') ? decodeURIComponent(path.slice(4)) : undefined);

function ChainLotCard({ lot }: { lot: ChainLot }): ReactNode {
  return (
    <li className="chain-lot" data-testid="chain-lot" data-kind={lot.kind}>
      <div><strong>{LOT_TEXT.kinds[lot.kind] ?? lot.kind}</strong> · {num(lot.quantity)} {lot.unit} · {lot.madeAt.slice(0, 10)}</div>
      <div className="mono small">{lot.identifier}</div>
      <div>{T.factory}: <strong>{lot.factory.name}</strong>{lot.factory.city ? ` · ${lot.factory.city}` : ''}</div>
      <div>{T.line}: <strong data-testid="chain-line">{lot.line.name}</strong> ({lot.stage})</div>
      <div className="muted small">{T.machines}</div>
      {lot.machines.length === 0 ? <div className="muted small">{T.noMachines}</div> : (
        <ul className="machines">
          {lot.machines.map((m) => <li key={m.id} data-testid="chain-machine"><span className="mono">{m.externalId}</span>: {T.stops(m.stops, Math.round(m.downSeconds / 60))}</li>)}
        </ul>
      )}
      {lot.inputs.length > 0 ? (
        <div>{T.madeFrom}: {lot.inputs.map((i) => <a key={i} href={`/id/${i}`} className="mono small block">{i}</a>)}</div>
      ) : null}
    </li>
  );
}

/**
 * The phone page a lot's QR code opens (390 px wide and up): the public part to anyone; the
 * whole chain, back to the looms, when this tab is signed in as one of the order's parties.
 */
export function IdPage({ identifier }: { identifier: string }): ReactNode {
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
      <h1>{T.title}</h1>
      <div className="mono small">{identifier}</div>
      {problem ? <ProblemBox problem={problem} /> : null}
      {!found && !problem ? <Loading rows={3} label={T.loading} /> : null}
      {found ? (
        <>
          <dl className="facts">
            <dt>{T.product}</dt><dd data-testid="id-product">{LOT_TEXT.kinds[found.kind] ?? found.kind} · {found.product}</dd>
            <dt>{T.quantity}</dt><dd>{num(found.quantity)} {found.unit}</dd>
            <dt>{T.madeIn}</dt><dd>{found.city ?? '—'}</dd>
            <dt>{T.madeOn}</dt><dd>{found.madeOn}</dd>
          </dl>
          {found.chain ? (
            <section data-testid="chain">
              <h2>{T.chain}</h2>
              <div>{T.order}: {found.chain.order.product} · {num(found.chain.order.quantity)} {found.chain.order.unit} · {T.due} {found.chain.order.dueDate}</div>
              <ul className="chain">{found.chain.lots.map((l) => <ChainLotCard key={l.identifier} lot={l} />)}</ul>
            </section>
          ) : (
            <p className="muted small">{T.publicOnly}</p>
          )}
        </>
      ) : null}
      <p><a href="/">{T.home}</a></p>
    </main>
  );
}
