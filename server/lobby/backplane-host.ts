import type { LobbySchema } from '../../shared/lobby/index'
import type { GameServer } from '../transport/game-server'
import { clusterNodesPayload, type BackplaneHost } from './backplane'
import { peerInfo } from './peer'
import type { Presence } from './presence'
import type { GraceTimers, ResumeTokens } from './resume'
import type { Rooms } from './rooms'

/** What a LobbyServer lets its backplane read and do (see backplane.ts). */
export function backplaneHost(server: GameServer<LobbySchema>, presence: Presence, rooms: Rooms, grace: GraceTimers, tokens: ResumeTokens): BackplaneHost {
  return {
    // The raw group, not the mirrored one: a delta from another node is not sent back to the cluster.
    sendEveryone: (b) => server.group('lobby:everyone').send(b.name, b.payload as never),
    connectionOf: (id) => presence.peers.get(id)?.conn,
    peer: (id) => {
      const p = presence.peers.get(id)
      return p && peerInfo(p)
    },
    localPeers: () => [...presence.peers.values()].map((p) => ({ info: peerInfo(p), key: p.key })),
    localRooms: () => rooms.list(),
    roomSecret: (id) => rooms.secret(id),
    nodesChanged: (urls) => server.group('lobby:everyone').send('clusterNodes', clusterNodesPayload(urls)),
    handOff: (id) => {
      const peer = presence.peers.get(id)
      if (!peer || peer.leaving) return
      // Gone from here, alive on the other node: its room is left ('moved'), nobody is told it left the lobby.
      peer.leaving = true
      grace.cancel(id)
      tokens.revoke(id)
      const old = presence.detach(peer)
      rooms.leave(peer, 'moved')
      presence.remove(peer, 'left', true)
      old?.close('kicked', 'moved to another node')
    },
  }
}
