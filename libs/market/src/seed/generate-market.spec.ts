import { dailyCapacity, machineFibers } from '@cloudloom/matching';
import { generateMarket, type MarketOptions } from './generate-market';

const OPTIONS: MarketOptions = { factories: 600, looms: 54_000, brands: 50, seed: 7, today: '2027-01-10' };

describe('generateMarket', () => {
  const market = generateMarket(OPTIONS);
  const weaving = market.lines.flatMap((l) => (l.spec.kind === 'weaving' ? [{ line: l, spec: l.spec }] : []));
  const sewing = market.lines.flatMap((l) => (l.spec.kind === 'sewing' ? [{ line: l, spec: l.spec }] : []));

  it('builds the same market, ids included, from the same seed and day', () => {
    expect(JSON.stringify(generateMarket(OPTIONS))).toBe(JSON.stringify(market));
    expect(generateMarket({ ...OPTIONS, seed: 8 }).lines[0]!.id).not.toBe(market.lines[0]!.id);
  });

  it('has exactly the mills, looms, sewing factories and brands asked for', () => {
    const factories = market.organizations.filter((o) => o.kind === 'factory');
    expect(new Set(weaving.map((w) => w.line.factoryId)).size).toBe(600);
    expect(new Set(sewing.map((s) => s.line.factoryId)).size).toBe(150);
    expect(factories).toHaveLength(750);
    expect(market.organizations.filter((o) => o.kind === 'brand')).toHaveLength(50);
    expect(weaving.reduce((s, w) => s + w.spec.machines, 0)).toBe(54_000);
    expect(new Set(market.organizations.map((o) => o.id)).size).toBe(market.organizations.length);
    expect(new Set(market.organizations.map((o) => o.name)).size).toBe(market.organizations.length);
  });

  it('mixes machines the way the clusters run them: water-jet and air-jet dominate, jacquard and projectile are rare', () => {
    const looms = new Map<string, number>();
    for (const { spec } of weaving) looms.set(spec.machineType, (looms.get(spec.machineType) ?? 0) + spec.machines);
    const share = (t: string): number => (looms.get(t) ?? 0) / 54_000;
    expect(share('water_jet')).toBeGreaterThan(0.3);
    expect(share('water_jet')).toBeLessThan(0.55);
    expect(share('air_jet')).toBeGreaterThan(0.2);
    expect(share('rapier')).toBeGreaterThan(0.1);
    expect(share('jacquard')).toBeLessThan(0.12);
    expect(share('projectile')).toBeLessThan(0.06);
    // Mill sizes have a long tail: the largest mills are many times the median one.
    const byMill = new Map<string, number>();
    for (const { line, spec } of weaving) byMill.set(line.factoryId, (byMill.get(line.factoryId) ?? 0) + spec.machines);
    const perMill = [...byMill.values()].sort((a, b) => a - b);
    expect(perMill[perMill.length - 1]! / perMill[Math.floor(perMill.length / 2)]!).toBeGreaterThan(5);
  });

  it('puts mills in the real clusters, Keqiao and Shengze first', () => {
    const towns = new Map<string, number>();
    for (const o of market.organizations) if (o.kind === 'factory') towns.set(o.name.split(' ')[0]!, (towns.get(o.name.split(' ')[0]!) ?? 0) + 1);
    const ranked = [...towns].sort((a, b) => b[1] - a[1]).map(([t]) => t);
    expect(ranked.slice(0, 2)).toEqual(['Keqiao', 'Shengze']);
    for (const town of ['Changxing', 'Haining', 'Jinjiang', 'Guangzhou', 'Humen', 'Xintang']) expect(towns.get(town)).toBeGreaterThan(0);
  });

  it('gives every line a spec the API would accept, and its daily capacity', () => {
    for (const { line, spec } of weaving) {
      expect(spec.machines).toBeGreaterThanOrEqual(1);
      expect(spec.machines).toBeLessThanOrEqual(60);
      expect(spec.maxWidthCm).toBeGreaterThanOrEqual(150);
      expect(spec.maxWidthCm).toBeLessThanOrEqual(390);
      for (const f of spec.fibers ?? []) expect(machineFibers(spec.machineType)).toContain(f);
      expect(line.dailyCapacity).toBe(dailyCapacity(spec));
      expect(line.ratePerUnit).toBeGreaterThan(0);
    }
    for (const { line, spec } of sewing) {
      expect(spec.operators).toBeGreaterThanOrEqual(12);
      expect(spec.categories.length).toBeGreaterThanOrEqual(2);
      expect(spec.fabricTypes.length).toBeGreaterThanOrEqual(1);
      expect(line.dailyCapacity).toBe(dailyCapacity(spec));
    }
  });

  it('lowers some days inside the horizon only: maintenance, Sunday shifts, the Spring Festival', () => {
    const last = '2027-03-10';
    expect(market.overrides.length).toBeGreaterThan(0);
    for (const o of market.overrides) {
      expect(o.day >= market.today && o.day <= last).toBe(true);
      expect(o.fraction).toBeGreaterThanOrEqual(0);
      expect(o.fraction).toBeLessThan(1);
    }
    // 2027-02-06: most lines run at a tenth of capacity on the festival itself.
    const festival = market.overrides.filter((o) => o.day === '2027-02-06' && o.fraction <= 0.1);
    expect(festival.length).toBeGreaterThan(market.lines.length * 0.9);
  });
});
