/**
 * `netplay-toolkit/netcode`: the pure netcode building blocks both ends share (game rules written
 * once for the server's simulation and the client's prediction). No sockets, no global clock.
 */
export { TickLoop, type TickLoopOptions, type TickLoopStats } from '../shared/netcode/index'
export { runTickLoop } from '../shared/netcode/index'
export { ClockSync, type ClockSyncOptions, type ClockSyncStats } from '../shared/netcode/index'
export { RenderClock, type RenderClockOptions } from '../shared/netcode/index'
export { InterpolationBuffer, type InterpolationBufferOptions, type InterpolationStats, type PushResult, type Sampled, type SampleMode } from '../shared/netcode/index'
export { Predictor, type PredictorOptions, type PredictorStats } from '../shared/netcode/index'
export { InputReceiver, InputSender, type InputReceiverOptions, type InputReceiverStats, type SequencedInput } from '../shared/netcode/index'
export { MAX_SPEED, sanitizeMoveInput, simulate, type MoveInput, type MoveState } from '../shared/netcode/index'
export { DeltaError, SnapshotCodec, type DeltaErrorCode, type EntityLayout, type EntityOf, type Snapshot } from '../shared/netcode/index'
export { SnapshotHistory } from '../shared/netcode/index'
export { PriorityAccumulator, type PriorityCandidate, type PriorityOptions } from '../shared/netcode/index'
export { LagCompensation, type LagCompensationOptions, type Rewound } from '../shared/netcode/index'
export { angleDelta, lerp, lerpState, wrapAngle, type NumericState } from '../shared/netcode/index'
export { Slewed } from '../shared/netcode/index'
export { NETCODE_DEFAULTS, NetcodeSchemaError, type NetInput } from '../shared/netcode/index'
