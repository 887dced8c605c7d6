export * from './types';
export { dailyCapacity, demandOf, lineMinimum, unitsPerQuantity } from './capacity';
export { lineFibers, lineMismatch, machineFibers, orderWidthCm, productMismatch } from './capability';
export {
  continueChain, fabricMetersFor, firstShortStage, fitBeforeLater, listStagePlanner, planChain, replanAfter, stageKindOf, styleStages,
  type ChainRequest, type HeldStage, type ChainResult, type ChainStage, type PlannedStage, type StageKind, type StagePlanner, type StyleSpec,
} from './chain';
export { planChainBatch, type ChainMarket } from './chain-batch';
export { planOrder } from './plan-order';
export { SCORE_WEIGHTS } from './scoring';
export { MarketIndex, type MarketIndexOptions } from './market-index';
export { SeedRng } from './seed-rng';
export { estimateSam, featureErrors, MAX_FEATURE_COUNT, type SamEstimate, type SamOperationLine, type SamSpec } from './sam/estimate';
export { SAM_FEATURES, type SamFeature } from './sam/operations';
export { calibrate, calibratedSam, type Calibration, type ProgressObservation } from './sam/calibration';
export { calibratedSewing, calibratedSewingByCategory, type CandidatePlanner, type FactoryCalibrations } from './sam/calibrated-planner';
export { sizeShares, type SizeBreakdown } from './sizes/size-shares';
export { MATCH_ROUTES, matchPartitionOf, matchRouteOf } from './partition';
