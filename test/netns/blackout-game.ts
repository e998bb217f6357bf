/**
 * What the real-blackout test's two processes share: one schema (the lobby, the netcode test game,
 * and `note`, a reliable message either side may send) and the figures each side reports.
 */
import { lobbyMessages } from '../../shared/lobby/index'
import { defineSchema, t } from '../../shared/schema/index'
import { messages } from '../integration/netcode/test-game'

export const blackoutSchema = defineSchema({
  ...lobbyMessages,
  ...messages,
  note: { channel: 'reliable', fields: { seq: t.uint32(), text: t.string({ maxLength: 100 }) } },
})
export type BlackoutSchema = typeof blackoutSchema

export const TICK_RATE = 30

export const noteText = (seq: number) => `note ${seq} `.padEnd(40, '.')

/** Times are wall-clock ms (Date.now()), comparable across the two processes on one machine. */
export type SideState = {
  type: 'state'
  /** Notes received from the other side, in arrival order. */
  notes: number[]
  badText: number
  suspendedAt: number | undefined
  resumedAt: number | undefined
  /** Our reliable messages not yet acknowledged when the cut was detected. */
  unackedAtSuspend: number | undefined
  /** The note sent just before the cut was still unacknowledged when the cut was detected. */
  preCutUnacked: boolean | undefined
  /** Our reliable messages sent again on the new connection. */
  replayed: number | undefined
  closed: string
}

export type ServerState = SideState & {
  peerId: string | undefined
  connId: string | undefined
  /** The connection the client has now is the object it had before the blackout. */
  sameConnection: boolean
  room: string | undefined
  seat: number | undefined
  fullSnapshotsSent: number
  resumesAccepted: number
}

export type ClientState = SideState & {
  peerId: string | undefined
  connId: string
  room: string | undefined
  seat: number | undefined
  /** From sending `resume` to the server's answer. */
  handshakeMs: number | undefined
  rttMs: number
  /** Full snapshots received (time of arrival). */
  fullSnapshotsAt: number[]
  deltaSnapshots: number
}
