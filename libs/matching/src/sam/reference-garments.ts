import type { SamSpec } from './estimate';

/**
 * Basic garments with a published SAM range (docs/sam.md, sources [1] and [2]): the estimator's
 * figure for each must land inside its range. The features are the garment's usual construction
 * as the sources describe its key operations.
 */
export const REFERENCE_GARMENTS: readonly { readonly name: string; readonly spec: SamSpec; readonly published: readonly [number, number]; readonly source: string }[] = [
  {
    name: 'basic round-neck T-shirt',
    spec: { category: 'tshirt', fabricType: 'knit', features: { neck_rib: 1, neck_tape: 1, set_in_sleeves: 1, sleeve_hems_coverstitch: 1, bottom_hem_coverstitch: 1, labels: 1 } },
    published: [5, 7],
    source: '[1]',
  },
  {
    name: 'polo shirt',
    spec: { category: 'polo', fabricType: 'knit', features: { polo_collar: 1, polo_placket: 1, buttons: 2, set_in_sleeves: 1, rib_cuffs: 1, side_vents: 1, bottom_hem_coverstitch: 1, labels: 1 } },
    published: [10, 12],
    source: '[1]',
  },
  {
    name: "men's full-sleeve formal shirt",
    spec: { category: 'shirt', fabricType: 'woven', features: { shirt_collar: 1, front_placket: 1, buttons: 11, patch_pocket: 1, back_yoke: 1, set_in_sleeves: 1, sleeve_plackets: 1, shirt_cuffs: 1, bottom_hem_lockstitch: 1, labels: 1 } },
    published: [18, 25],
    source: '[1], [2] (22.32)',
  },
  {
    name: 'basic 5-pocket jeans',
    spec: { category: 'jeans', fabricType: 'woven', features: { jeans_front_pocket: 2, coin_pocket: 1, patch_pocket: 2, back_pocket_decoration: 2, back_yoke: 1, fly_zip: 1, waistband: 1, buttons: 1, belt_loops: 1, leg_hems: 1, bartacks: 1, flat_felled_seams: 1, labels: 1 } },
    published: [22, 30],
    source: '[1]',
  },
  {
    name: 'basic skirt',
    spec: { category: 'skirt', fabricType: 'woven', features: { darts: 4, invisible_zip: 1, waistband: 1, buttons: 1, bottom_hem_lockstitch: 1, labels: 1, under_pressing: 1, pressing: 1 } },
    published: [10, 15],
    source: '[1]',
  },
  {
    name: "men's trousers",
    spec: { category: 'trousers', fabricType: 'woven', features: { side_seam_pocket: 2, welt_pocket: 2, darts: 2, fly_zip: 1, waistband: 1, buttons: 2, belt_loops: 1, bartacks: 1, leg_hems: 1, labels: 1, pressing: 1, under_pressing: 1 } },
    published: [25, 35],
    source: '[1]',
  },
  {
    name: 'basic lined dress',
    spec: { category: 'dress', fabricType: 'woven', features: { neck_facing: 1, darts: 4, bodice_skirt_join: 1, set_in_sleeves: 1, sleeve_hems_lockstitch: 1, invisible_zip: 1, bottom_hem_lockstitch: 1, lining: 1, under_pressing: 1, labels: 1, pressing: 1 } },
    published: [20, 30],
    source: '[1]',
  },
  {
    name: 'hoodie',
    spec: { category: 'sportswear', fabricType: 'knit', features: { hood: 1, drawcord: 1, kangaroo_pocket: 1, neck_tape: 1, set_in_sleeves: 1, rib_cuffs: 1, rib_hem: 1, twin_needle_topstitch: 1, labels: 1, pressing: 1 } },
    published: [15, 20],
    source: '[1]',
  },
];
