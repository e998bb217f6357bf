/** Pure netcode building blocks: no sockets, no global clock; every time is passed in. */
export { TickLoop, type TickLoopOptions, type TickLoopStats } from './tick-loop'
export { runTickLoop } from './tick-runner'
export { ClockSync, type ClockSyncOptions, type ClockSyncStats } from './clock-sync'
export { RenderClock, type RenderClockOptions } from './render-clock'
export { InterpolationBuffer, type InterpolationBufferOptions, type InterpolationStats, type PushResult, type Sampled, type SampleMode } from './interpolation-buffer'
export { Predictor, type PredictorOptions, type PredictorStats } from './prediction'
export { InputReceiver, InputSender, type InputReceiverOptions, type InputReceiverStats, type SequencedInput } from './input-redundancy'
export { MAX_SPEED, sanitizeMoveInput, simulate, type MoveInput, type MoveState } from './movement'
export { DeltaError, readDeltaHeader, SnapshotCodec, type DeltaErrorCode, type EntityLayout, type EntityOf, type Snapshot, type SnapshotCodecOptions } from './snapshot-delta'
export { SnapshotHistory } from './snapshot-history'
export { PriorityAccumulator, type PriorityCandidate, type PriorityOptions } from './priority'
export { LagCompensation, clampRenderTime, type LagCompensationOptions, type RewindAllowance, type Rewound } from './lag-compensation'
export { angleDelta, lerp, lerpState, wrapAngle, type NumericState } from './lerp'
export { Slewed } from './slew'
export {
  netcodeMessages,
  requireNetcodeMessages,
  NetcodeSchemaError,
  NETCODE_DEFAULTS,
  type NetcodeDeclarations,
  type NetcodeMessageOptions,
  type NetInput,
  type NetSchema,
} from './net-messages'
