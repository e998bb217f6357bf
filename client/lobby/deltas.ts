import type { LobbyPayload, LobbySchema } from '../../shared/lobby/index'
import type { Emitter } from '../../shared/transport/emitter'
import type { GameClient } from '../transport/game-client'
import type { LobbyState } from './state'
import type { LobbyClientEvents } from './types'

/** Keeps `state` current from the server's presence and room deltas on `c`, and tells `events`. Returns the unsubscribers. */
export function followDeltas(c: GameClient<LobbySchema>, state: LobbyState, events: Emitter<LobbyClientEvents>): (() => void)[] {
  const putRoom = (room: LobbyPayload<'roomAdded'>['room']) => {
    state.putRoom(room)
    events.emit('roomsChanged', state.rooms)
  }
  return [
    c.on('presenceJoin', ({ peer }) => {
      state.addPeer(peer)
      events.emit('peerJoined', peer)
    }),
    c.on('presenceLeave', ({ id, reason }) => {
      const peer = state.removePeer(id)
      if (peer) events.emit('peerLeft', peer, reason)
    }),
    c.on('presenceChange', (d) => {
      const r = state.changePeer(d)
      if (r) events.emit('peerChanged', r.peer, r.change)
    }),
    c.on('presencePings', ({ pings }) => {
      for (const peer of state.setPings(pings)) events.emit('peerChanged', peer, { ping: peer.ping })
    }),
    c.on('roomAdded', ({ room }) => putRoom(room)),
    c.on('roomChanged', ({ room }) => putRoom(room)),
    c.on('roomRemoved', ({ id }) => state.removeRoom(id) && events.emit('roomsChanged', state.rooms)),
    c.on('roomKicked', ({ roomId, by }) => events.emit('kicked', roomId, by)),
  ]
}
