import { lineMismatch, unitsPerQuantity, type CandidateLine, type PlanRequest } from '@cloudloom/matching';

/**
 * The batch as a mixed-integer program in CPLEX LP format, under the planner's hard rules:
 * maximize the quantity of orders matched in full (z_o binary), each over at most maxSplits
 * lines (y binary), each split at least its minimum unless the line can only take the whole
 * order, demand laid on free line-days inside the window, no line-day over-reserved.
 *
 * Units are continuous and picks counted in thousands, which relaxes the planner's rounding of
 * each allocation's demand up to a whole unit: the optimum may be very slightly optimistic.
 */
export interface Model {
  readonly text: string;
  /** The same model with integrality dropped: its optimum bounds the MIP's from above. */
  readonly relaxation: string;
  readonly binaries: number;
  readonly columns: number;
}

export function batchModel(lines: readonly CandidateLine[], orders: readonly PlanRequest[], horizon: number): Model {
  const objective: string[] = [];
  const rows: string[] = [];
  const bounds: string[] = [];
  const binaries: string[] = [];
  const generals: string[] = [];
  const dayUse = new Map<string, string[]>();
  let columns = 0;
  orders.forEach((req, o) => {
    const perItem = unitsPerQuantity(req.order) / (req.order.kind === 'fabric' ? 1000 : 1);
    const excluded = new Set(req.excludedLineIds ?? []);
    const cover: string[] = [`- ${req.quantity} z${o}`];
    const splits: string[] = [];
    objective.push(`${req.quantity} z${o}`);
    binaries.push(`z${o}`);
    lines.forEach((line, l) => {
      if (excluded.has(line.lineId) || lineMismatch(line, req.order, req.certifications) !== null) return;
      const days: number[] = [];
      for (let d = Math.max(0, req.startDay); d <= Math.min(req.endDay, horizon - 1); d++) if ((line.free[d] ?? 0) > 0) days.push(d);
      const scale = line.spec.kind === 'weaving' ? 1000 : 1;
      const windowUnits = days.reduce((sum, d) => sum + (line.free[d] ?? 0), 0) / scale;
      // Tight per-line caps make the relaxation, and so the search, far stronger.
      const cap = Math.min(req.quantity, Math.floor(windowUnits / perItem));
      const lo = Math.max(req.minSplitQuantity ?? 1, line.spec.kind === 'sewing' ? line.spec.moq : 0);
      if (cap < Math.min(lo, req.quantity) || cap === 0) return;
      const y = `y${o}_${l}`;
      const q = `q${o}_${l}`;
      binaries.push(y);
      generals.push(q);
      cover.push(`+ ${q}`);
      splits.push(`+ ${y}`);
      bounds.push(`0 <= ${q} <= ${cap}`);
      rows.push(`up${o}_${l}: ${q} - ${cap} ${y} <= 0`);
      rows.push(lo > req.quantity ? `lo${o}_${l}: ${q} - ${req.quantity} ${y} = 0` : `lo${o}_${l}: ${q} - ${lo} ${y} >= 0`);
      const units = days.map((d) => {
        const u = `u${o}_${l}_${d}`;
        const key = `${l}_${d}`;
        dayUse.set(key, [...(dayUse.get(key) ?? []), u]);
        rows.push(`link${o}_${l}_${d}: ${u} - ${(line.free[d] ?? 0) / scale} ${y} <= 0`);
        return `+ ${u}`;
      });
      rows.push(`dem${o}_${l}: ${wrap(units)} - ${perItem} ${q} >= 0`);
      columns += 2 + days.length;
    });
    rows.push(`cover${o}: ${wrap(cover)} = 0`);
    if (splits.length > 0) rows.push(`splits${o}: ${wrap(splits)} <= ${req.maxSplits}`);
    columns++;
  });
  for (const [key, us] of dayUse) {
    const [l, d] = key.split('_').map(Number) as [number, number];
    const line = lines[l];
    const scale = line?.spec.kind === 'weaving' ? 1000 : 1;
    rows.push(`cap${key}: ${wrap(us.map((u) => `+ ${u}`))} <= ${(line?.free[d] ?? 0) / scale}`);
  }
  return lpModel({ objective, rows, bounds, binaries, generals }, columns);
}

/** The parts of a maximization in CPLEX LP format, as the models collect them. */
export interface LpParts {
  readonly objective: readonly string[];
  readonly rows: readonly string[];
  readonly bounds: readonly string[];
  readonly binaries: readonly string[];
  readonly generals: readonly string[];
}

/** The MIP and its relaxation (integrality dropped) from the same parts. */
export function lpModel(p: LpParts, columns: number): Model {
  const head = `Maximize\n obj: ${wrap(p.objective.map((t) => `+ ${t}`))}\nSubject To\n${p.rows.map((r) => ` ${r}`).join('\n')}\nBounds\n${p.bounds.map((b) => ` ${b}`).join('\n')}\n`;
  return {
    text: `${head}Binaries\n ${wrap(p.binaries)}\nGenerals\n ${wrap(p.generals)}\nEnd\n`,
    relaxation: `${head}${p.binaries.map((b) => ` 0 <= ${b} <= 1`).join('\n')}\nEnd\n`,
    binaries: p.binaries.length,
    columns,
  };
}

/** LP files are read line by line; keep lines short. */
export function wrap(terms: readonly string[]): string {
  const out: string[] = [];
  for (let i = 0; i < terms.length; i += 8) out.push(terms.slice(i, i + 8).join(' '));
  return out.join('\n   ');
}
