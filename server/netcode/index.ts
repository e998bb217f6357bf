export { NetRoom, type NetClientView, type NetRoomGame, type NetRoomOptions, type NetRoomStats } from './net-room'
export type { NetPeerStats } from './net-peer'
export { planSnapshot, xyPosition, type Plan, type PlanInput } from './snapshot-planner'
export type { TickTimingStats } from './tick-timing'
