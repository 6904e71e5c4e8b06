import type { OpportunityType } from '../../shared/detection'
import type { Detector } from './common'
import { autoCancelRisk } from './autoCancelRisk'
import { failedSips } from './failedSips'
import { highValueInactive } from './highValueInactive'
import { noSipIncrease } from './noSipIncrease'
import { sipEnding } from './sipEnding'

/** Every detector the app runs, in the order lists show their types (SPEC §3.5). */
export const DETECTORS: readonly Detector[] = [noSipIncrease, failedSips, highValueInactive, autoCancelRisk, sipEnding]

export const detectorFor = (type: OpportunityType): Detector => DETECTORS.find((d) => d.type === type)!
