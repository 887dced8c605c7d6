import type { FabricType, Fiber, GarmentCategory, MachineType } from '@cloudloom/matching';

/**
 * Where China's cloth and clothes are made. Shares are of mills (weaving) or factories (sewing);
 * machine mixes follow what each town is known for: the Shengze and Changxing belts run
 * water-jet looms on polyester filament, Keqiao mixes everything, Haining and Nantong weave
 * jacquard home textiles, Xiqiao and Gaomi run air-jets on cotton.
 */
export interface WeavingCluster {
  readonly town: string;
  readonly city: string;
  readonly province: string;
  readonly share: number;
  readonly machines: readonly (readonly [MachineType, number])[];
}

export interface SewingCluster {
  readonly town: string;
  readonly city: string;
  readonly province: string;
  readonly share: number;
  readonly categories: readonly GarmentCategory[];
  readonly fabricTypes: readonly (readonly [readonly FabricType[], number])[];
}

export const WEAVING_CLUSTERS: readonly WeavingCluster[] = [
  { town: 'Keqiao', city: 'Shaoxing', province: 'Zhejiang', share: 0.3, machines: [['water_jet', 0.35], ['air_jet', 0.35], ['rapier', 0.2], ['jacquard', 0.07], ['projectile', 0.03]] },
  { town: 'Shengze', city: 'Suzhou (Wujiang)', province: 'Jiangsu', share: 0.25, machines: [['water_jet', 0.75], ['air_jet', 0.15], ['rapier', 0.07], ['jacquard', 0.03]] },
  { town: 'Changxing', city: 'Huzhou', province: 'Zhejiang', share: 0.12, machines: [['water_jet', 0.85], ['air_jet', 0.1], ['rapier', 0.05]] },
  { town: 'Xiaoshan', city: 'Hangzhou', province: 'Zhejiang', share: 0.07, machines: [['air_jet', 0.5], ['rapier', 0.3], ['water_jet', 0.15], ['projectile', 0.05]] },
  { town: 'Haining', city: 'Jiaxing', province: 'Zhejiang', share: 0.07, machines: [['jacquard', 0.35], ['rapier', 0.35], ['air_jet', 0.2], ['water_jet', 0.1]] },
  { town: 'Nantong', city: 'Nantong', province: 'Jiangsu', share: 0.06, machines: [['air_jet', 0.45], ['rapier', 0.3], ['jacquard', 0.2], ['projectile', 0.05]] },
  { town: 'Jinjiang', city: 'Quanzhou', province: 'Fujian', share: 0.05, machines: [['water_jet', 0.4], ['air_jet', 0.3], ['rapier', 0.3]] },
  { town: 'Xiqiao', city: 'Foshan', province: 'Guangdong', share: 0.05, machines: [['air_jet', 0.45], ['rapier', 0.35], ['water_jet', 0.1], ['projectile', 0.1]] },
  { town: 'Gaomi', city: 'Weifang', province: 'Shandong', share: 0.03, machines: [['air_jet', 0.8], ['rapier', 0.2]] },
];

export const SEWING_CLUSTERS: readonly SewingCluster[] = [
  { town: 'Guangzhou', city: 'Guangzhou', province: 'Guangdong', share: 0.3, categories: ['dress', 'skirt', 'shirt', 'trousers', 'tshirt', 'jacket'], fabricTypes: [[['woven'], 0.4], [['knit'], 0.3], [['knit', 'woven'], 0.3]] },
  { town: 'Xintang', city: 'Guangzhou (Zengcheng)', province: 'Guangdong', share: 0.1, categories: ['jeans', 'trousers', 'jacket', 'skirt'], fabricTypes: [[['woven'], 1]] },
  { town: 'Humen', city: 'Dongguan', province: 'Guangdong', share: 0.15, categories: ['dress', 'jacket', 'coat', 'skirt', 'shirt'], fabricTypes: [[['woven'], 0.6], [['knit', 'woven'], 0.4]] },
  { town: 'Foshan', city: 'Foshan', province: 'Guangdong', share: 0.1, categories: ['underwear', 'tshirt', 'sportswear', 'polo'], fabricTypes: [[['knit'], 0.8], [['knit', 'woven'], 0.2]] },
  { town: 'Jinjiang', city: 'Quanzhou', province: 'Fujian', share: 0.15, categories: ['sportswear', 'tshirt', 'polo', 'jacket', 'trousers'], fabricTypes: [[['knit'], 0.6], [['knit', 'woven'], 0.4]] },
  { town: 'Zhili', city: 'Huzhou', province: 'Zhejiang', share: 0.1, categories: ['tshirt', 'dress', 'trousers', 'jacket', 'skirt'], fabricTypes: [[['knit'], 0.4], [['woven'], 0.2], [['knit', 'woven'], 0.4]] },
  { town: 'Ningbo', city: 'Ningbo', province: 'Zhejiang', share: 0.1, categories: ['shirt', 'coat', 'jacket', 'trousers'], fabricTypes: [[['woven'], 0.8], [['knit', 'woven'], 0.2]] },
];

export const BRAND_CITIES: readonly (readonly [readonly [string, string], number])[] = [
  [['Guangzhou', 'Guangdong'], 0.35], [['Hangzhou', 'Zhejiang'], 0.2], [['Shanghai', 'Shanghai'], 0.15], [['Shenzhen', 'Guangdong'], 0.1],
  [['Beijing', 'Beijing'], 0.05], [['Chengdu', 'Sichuan'], 0.05], [['Xiamen', 'Fujian'], 0.05], [['Wuhan', 'Hubei'], 0.05],
];

/** Loom widths (cm) by machine: projectile looms are the wide ones, water-jets the narrow. */
export const WIDTHS: Readonly<Record<MachineType, readonly (readonly [number, number])[]>> = {
  water_jet: [[150, 0.1], [170, 0.2], [190, 0.35], [210, 0.2], [230, 0.15]],
  air_jet: [[170, 0.15], [190, 0.3], [230, 0.25], [280, 0.2], [340, 0.1]],
  rapier: [[190, 0.3], [230, 0.3], [280, 0.25], [340, 0.15]],
  projectile: [[280, 0.3], [340, 0.4], [390, 0.3]],
  jacquard: [[150, 0.2], [190, 0.4], [230, 0.25], [280, 0.15]],
};

export const RPM: Readonly<Record<MachineType, readonly [number, number]>> = {
  water_jet: [600, 1000], air_jet: [600, 1100], rapier: [350, 600], projectile: [300, 450], jacquard: [300, 550],
};

/** CNY per 1,000 weft picks: a plain polyester taffeta costs about 0.3 CNY a meter to weave. */
export const WEAVING_RATE: Readonly<Record<MachineType, readonly [number, number]>> = {
  water_jet: [0.08, 0.13], air_jet: [0.11, 0.18], rapier: [0.15, 0.24], projectile: [0.16, 0.26], jacquard: [0.25, 0.45],
};

/** A line may narrow its machine's fibres (a mill that weaves only cotton on its air-jets). */
export const NARROWINGS: Readonly<Record<MachineType, readonly (readonly Fiber[])[]>> = {
  water_jet: [['polyester'], ['nylon']],
  air_jet: [['cotton', 'blend'], ['polyester', 'viscose'], ['cotton', 'viscose', 'blend']],
  rapier: [['wool', 'linen'], ['silk'], ['cotton', 'linen', 'blend']],
  projectile: [['cotton', 'linen'], ['wool']],
  jacquard: [['silk', 'polyester'], ['cotton', 'blend']],
};

export const MACHINE_LABEL: Readonly<Record<MachineType, string>> = {
  water_jet: 'water-jets', air_jet: 'air-jets', rapier: 'rapiers', projectile: 'projectiles', jacquard: 'jacquards',
};

export const WEAVING_CERTS: readonly (readonly [string, number])[] = [['OEKO-TEX', 0.4], ['GRS', 0.15], ['GOTS', 0.08], ['bluesign', 0.05]];
export const SEWING_CERTS: readonly (readonly [string, number])[] = [['BSCI', 0.3], ['OEKO-TEX', 0.2], ['WRAP', 0.1], ['GRS', 0.05]];

export const NAME_WORDS: readonly string[] = [
  'Hengfeng', 'Xinyuan', 'Jinlong', 'Huamei', 'Yongsheng', 'Ruixiang', 'Tianhong', 'Fuda', 'Jiali', 'Haitian', 'Dongfang', 'Xingda',
  'Baoli', 'Hongda', 'Shunfa', 'Kaiyuan', 'Mingda', 'Zhongxin', 'Huasheng', 'Yuanfeng', 'Jiahe', 'Longteng', 'Xiangyun', 'Taihe',
  'Hengli', 'Sanyang', 'Huaxin', 'Jinsheng', 'Lianfa', 'Weixing', 'Chenfeng', 'Yida', 'Qiaoxing', 'Anda', 'Fengyuan', 'Rongtai',
];
export const BRAND_WORDS: readonly string[] = [
  'Canton', 'Pearl River', 'Lingnan', 'Xiguan', 'West Lake', 'Jade', 'Orchid', 'Silk Road', 'Bund', 'Lotus', 'Peony', 'Bamboo',
  'Plum', 'Crane', 'Willow', 'Harbour', 'Indigo', 'Cloud', 'Maple', 'Tide',
];
export const BRAND_KINDS: readonly string[] = ['Studio', 'Apparel', 'Label', 'Wear', 'Atelier', 'Collective', 'Basics', 'Kids'];

/** Spring Festival: mills thin out for about a week before and ten days after. */
export const SPRING_FESTIVAL: readonly string[] = ['2026-02-17', '2027-02-06', '2028-01-26', '2029-02-13', '2030-02-03', '2031-01-23'];
