import type { OpportunityType } from '../../shared/detection'
import type { Detector } from './common'
import { failedSips } from './failedSips'
import { highValueInactive } from './highValueInactive'
import { noSipIncrease } from './noSipIncrease'

/** Every detector the app runs, in the order lists show their types. */
export const DETECTORS: readonly Detector[] = [noSipIncrease, failedSips, highValueInactive]

export const detectorFor = (type: OpportunityType): Detector => DETECTORS.find((d) => d.type === type)!
