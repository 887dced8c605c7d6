/**
 * The library of sewing operations the SAM estimator builds an operation bulletin from.
 *
 * Every figure is standard allowed minutes (SAM: basic time plus the usual personal, fatigue and
 * bundle allowances) per piece, as `[low, typical, high]`. The values are this project's own
 * decomposition, set to the magnitudes of the published operation breakdowns cited in docs/sam.md
 * and held by tests to land each reference garment inside its published range; they are
 * assumptions to be calibrated by factories' reported output (calibration.ts), not measurements.
 */
import type { GarmentCategory } from '../types';

export type Minutes = readonly [low: number, typical: number, high: number];

/** How an operation's work grows with the garment: seams and hems with seam length, the rest not. */
export type Scaling = 'seam' | 'fixed';

export interface SewingOperation {
  readonly name: string;
  readonly minutes: Minutes;
  readonly scaling: Scaling;
}

const op = (name: string, minutes: Minutes, scaling: Scaling = 'fixed'): SewingOperation => ({ name, minutes, scaling });

/**
 * Seam length relative to a T-shirt (1.0): long seams and hems cost proportionally more. An
 * assumption derived from typical pattern sizes, not a published table (docs/sam.md).
 */
export const SEAM_LENGTH: Readonly<Record<GarmentCategory, number>> = {
  tshirt: 1, polo: 1, shirt: 1.1, dress: 1.3, skirt: 1, trousers: 1.2, jeans: 1.2, jacket: 1.4, coat: 1.8, sportswear: 1.2, underwear: 0.5,
};

/**
 * The construction every garment of a category has whatever its details: the body's seams and
 * the final thread trim. Features add the rest.
 */
export const BASE_OPERATIONS: Readonly<Record<GarmentCategory, readonly SewingOperation[]>> = {
  tshirt: [op('shoulder join (overlock, tape)', [0.35, 0.45, 0.55]), op('side seams with sleeve underarm (overlock)', [0.85, 1.0, 1.2], 'seam'), op('thread trim and inspection', [0.5, 0.6, 0.75])],
  polo: [op('shoulder join (overlock, tape)', [0.3, 0.35, 0.45]), op('side seams with sleeve underarm (overlock)', [0.75, 0.9, 1.1], 'seam'), op('thread trim and inspection', [0.45, 0.55, 0.7])],
  shirt: [op('shoulder join', [0.4, 0.5, 0.6]), op('side seams with sleeve underarm (lap seam, two-needle chainstitch)', [1.1, 1.3, 1.6], 'seam'), op('thread trim and inspection', [0.7, 0.85, 1.0])],
  dress: [op('shoulder join', [0.35, 0.45, 0.55]), op('panels serge (edge neatening)', [1.0, 1.2, 1.45], 'seam'), op('centre back seam', [0.5, 0.6, 0.75], 'seam'), op('side seams', [0.9, 1.1, 1.35], 'seam'), op('thread trim and inspection', [0.7, 0.85, 1.0])],
  skirt: [op('panels serge (edge neatening)', [0.85, 1.0, 1.2], 'seam'), op('side seams', [1.0, 1.2, 1.45], 'seam'), op('thread trim and inspection', [0.65, 0.8, 0.95])],
  trousers: [op('panels serge (edge neatening)', [1.2, 1.4, 1.7], 'seam'), op('inseams', [1.2, 1.4, 1.7], 'seam'), op('outseams (serge and close)', [1.3, 1.5, 1.8], 'seam'), op('front and back rise', [0.9, 1.1, 1.3]), op('thread trim and inspection', [1.05, 1.3, 1.55])],
  jeans: [op('front and back panels serge and pair', [1.0, 1.2, 1.45]), op('inseams (felled)', [1.1, 1.3, 1.6], 'seam'), op('outseams (overlock safety stitch)', [1.0, 1.2, 1.45], 'seam'), op('front rise and seat seam (felled)', [1.25, 1.5, 1.8]), op('thread trim and inspection', [1.05, 1.3, 1.55])],
  jacket: [op('shoulder join', [0.45, 0.55, 0.7]), op('side seams and sleeve seams', [1.3, 1.6, 1.95], 'seam'), op('thread trim and inspection', [1.0, 1.2, 1.45])],
  coat: [op('shoulder join', [0.5, 0.6, 0.75]), op('side seams and sleeve seams', [1.3, 1.6, 1.95], 'seam'), op('thread trim and inspection', [1.2, 1.5, 1.8])],
  sportswear: [op('shoulder join (overlock)', [0.35, 0.45, 0.55]), op('side seams with sleeve underarm (overlock, heavier fabric)', [1.0, 1.2, 1.45], 'seam'), op('thread trim and inspection', [0.65, 0.8, 0.95])],
  underwear: [op('side seams (overlock)', [0.5, 0.6, 0.75], 'seam'), op('thread trim and inspection', [0.25, 0.3, 0.4])],
};

/**
 * The features a spec may name, each the operations it adds once (a count repeats them). A
 * feature whose work depends on the stitch type is a separate feature (`bottom_hem_coverstitch`
 * and `bottom_hem_lockstitch`), so a bulletin names the machine it needs.
 */
export const FEATURE_OPERATIONS = {
  // necks and collars
  neck_rib: [op('neck rib: join rib ends', [0.15, 0.2, 0.25]), op('neck rib attach (overlock)', [0.4, 0.45, 0.55]), op('neck topstitch (coverstitch)', [0.3, 0.35, 0.45])],
  neck_binding: [op('neck binding attach (binder, coverstitch)', [0.55, 0.65, 0.8])],
  neck_tape: [op('back neck tape attach', [0.3, 0.35, 0.45])],
  polo_collar: [op('knitted collar attach', [0.75, 0.9, 1.1]), op('collar tape cover', [0.6, 0.7, 0.85])],
  shirt_collar: [
    op('collar run stitch', [0.25, 0.3, 0.35]), op('collar trim, turn and crease', [0.75, 0.9, 1.05]), op('collar topstitch', [0.38, 0.45, 0.55]),
    op('collar band hem and run stitch', [0.5, 0.6, 0.75]), op('collar insert into band', [0.65, 0.8, 0.95]), op('collar band attach to neck and close', [1.05, 1.25, 1.5]),
  ],
  hood: [op('hood centre seams, shell and lining', [1.25, 1.5, 1.8]), op('hood edge facing and topstitch', [0.8, 1.0, 1.2]), op('hood attach to neck and tape', [1.15, 1.4, 1.7])],
  drawcord: [op('drawcord eyelets and cord insert', [0.5, 0.6, 0.75])],
  lapel_collar: [op('collar and lapel make (run, trim, turn)', [2.0, 2.5, 3.0]), op('collar attach and close', [1.6, 2.0, 2.4]), op('lapel and collar topstitch', [0.8, 1.0, 1.2])],
  neck_facing: [op('neck facing make', [0.4, 0.5, 0.6]), op('neck facing attach, understitch and tack', [0.9, 1.1, 1.3])],
  // plackets
  polo_placket: [op('placket pieces fuse and fold', [0.5, 0.6, 0.75]), op('placket mark and cut', [0.3, 0.35, 0.45]), op('placket attach', [0.9, 1.1, 1.3]), op('placket box stitch and close', [1.05, 1.25, 1.5])],
  front_placket: [op('front placket hem and attach', [0.9, 1.1, 1.3]), op('left front hem', [0.4, 0.5, 0.6])],
  sleeve_plackets: [op('sleeve placket attach (pair)', [0.65, 0.8, 0.95]), op('sleeve placket close and box tack (pair)', [0.85, 1.0, 1.2])],
  // sleeves and cuffs
  set_in_sleeves: [op('sleeves attach (pair)', [0.85, 1.0, 1.2], 'seam')],
  sleeve_hems_coverstitch: [op('sleeve hems (pair, coverstitch)', [0.4, 0.5, 0.6])],
  sleeve_hems_lockstitch: [op('sleeve hems (pair, double fold lockstitch)', [0.55, 0.65, 0.8])],
  shirt_cuffs: [op('cuff hem and run stitch (pair)', [0.9, 1.05, 1.25]), op('cuff trim, turn and crease (pair)', [0.9, 1.05, 1.25]), op('cuff topstitch (pair)', [0.55, 0.65, 0.8]), op('cuff attach and close (pair)', [1.1, 1.3, 1.55]), op('sleeve pleats (pair)', [0.3, 0.35, 0.45])],
  rib_cuffs: [op('rib cuffs make (pair)', [0.35, 0.45, 0.55]), op('rib cuffs attach (pair, overlock)', [0.8, 0.95, 1.15])],
  // pockets
  patch_pocket: [op('patch pocket hem and crease', [0.45, 0.55, 0.65]), op('patch pocket attach', [0.7, 0.85, 1.0])],
  welt_pocket: [op('welt pocket mark and welt make', [0.7, 0.85, 1.0]), op('welt pocket set, cut and turn', [1.3, 1.55, 1.85]), op('pocket bag close and tack', [0.8, 0.95, 1.15])],
  back_pocket_decoration: [op('decorative stitch on a back pocket', [0.4, 0.45, 0.55])],
  jeans_front_pocket: [op('facing to pocket bag', [0.35, 0.4, 0.5]), op('pocket bag attach to front and topstitch', [0.6, 0.7, 0.85]), op('pocket bag close (serge)', [0.3, 0.35, 0.45]), op('pocket tack to front', [0.25, 0.3, 0.35])],
  coin_pocket: [op('coin pocket hem and attach', [0.4, 0.5, 0.6])],
  side_seam_pocket: [op('side pocket bag attach', [0.55, 0.65, 0.8]), op('side pocket close and tack', [0.45, 0.55, 0.65])],
  kangaroo_pocket: [op('kangaroo pocket edges bind', [0.75, 0.9, 1.1]), op('kangaroo pocket attach and tack', [1.15, 1.4, 1.7])],
  // closures
  buttons: [op('buttonhole', [0.12, 0.15, 0.18]), op('button sew', [0.1, 0.12, 0.15]), op('button mark', [0.05, 0.06, 0.08])],
  snaps: [op('snap fastener set', [0.12, 0.15, 0.18])],
  fly_zip: [op('fly facing serge', [0.2, 0.25, 0.3]), op('zip attach to fly', [0.6, 0.7, 0.85]), op('fly J-stitch', [0.5, 0.6, 0.75]), op('fly shield make and attach', [0.6, 0.75, 0.9])],
  invisible_zip: [op('invisible zip insert', [1.2, 1.45, 1.75]), op('seam below zip close', [0.3, 0.35, 0.45])],
  front_zip: [op('separating zip attach (both sides)', [1.3, 1.55, 1.85]), op('zip topstitch', [0.65, 0.8, 0.95])],
  // waists and hems
  waistband: [op('waistband make (fuse, crease)', [0.5, 0.6, 0.75]), op('waistband attach', [1.0, 1.2, 1.45]), op('waistband ends close', [0.45, 0.55, 0.65])],
  elastic_waist: [op('elastic join', [0.2, 0.25, 0.3]), op('elastic waist attach (overlock and coverstitch)', [0.8, 0.95, 1.15])],
  rib_hem: [op('rib hem band make', [0.3, 0.35, 0.45]), op('rib hem band attach (overlock)', [0.8, 0.95, 1.15], 'seam')],
  belt_loops: [op('belt loop strip make (coverstitch)', [0.2, 0.25, 0.3]), op('belt loops attach (set of 5-7, bartack)', [0.9, 1.1, 1.3])],
  back_yoke: [op('yoke attach and topstitch', [0.6, 0.75, 0.9])],
  darts: [op('dart mark and sew', [0.3, 0.35, 0.45])],
  bodice_skirt_join: [op('bodice to skirt join', [0.8, 1.0, 1.2], 'seam')],
  bottom_hem_coverstitch: [op('bottom hem (coverstitch)', [0.4, 0.45, 0.55], 'seam')],
  bottom_hem_lockstitch: [op('bottom hem (double fold lockstitch)', [0.6, 0.75, 0.9], 'seam')],
  leg_hems: [op('leg hems (pair)', [0.55, 0.65, 0.8])],
  side_vents: [op('side vents (pair)', [0.6, 0.7, 0.85])],
  // stitch types beyond the category's standard seams
  flat_felled_seams: [op('flat felled seams instead of overlock (extra pass)', [0.7, 0.85, 1.0], 'seam')],
  flatlock_seams: [op('flatlock seams instead of overlock (extra pass)', [0.6, 0.75, 0.9], 'seam')],
  twin_needle_topstitch: [op('twin needle topstitch on seams', [0.75, 0.9, 1.1], 'seam')],
  bartacks: [op('bartacks (set of 6-10)', [0.5, 0.6, 0.75])],
  // lining, labels, pressing
  lining: [op('lining make', [2.2, 2.7, 3.3], 'seam'), op('lining attach (bag out)', [1.6, 2.0, 2.4], 'seam')],
  labels: [op('main label attach', [0.15, 0.2, 0.25]), op('care and size label attach', [0.12, 0.15, 0.2])],
  pressing: [op('final press', [0.5, 0.65, 0.8], 'seam')],
  under_pressing: [op('seam pressing during make', [0.8, 1.0, 1.2], 'seam')],
} as const satisfies Readonly<Record<string, readonly SewingOperation[]>>;

export type SamFeature = keyof typeof FEATURE_OPERATIONS;
export const SAM_FEATURES = Object.keys(FEATURE_OPERATIONS) as readonly SamFeature[];
export const isSamFeature = (name: string): name is SamFeature => Object.prototype.hasOwnProperty.call(FEATURE_OPERATIONS, name);
