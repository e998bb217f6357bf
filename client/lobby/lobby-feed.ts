import type { ChatMessage, LobbyPayload, LobbySchema } from '../../shared/lobby/index'
import type { Emitter } from '../../shared/transport/emitter'
import type { GameClient } from '../transport/game-client'
import type { LobbyState } from './state'
import type { LobbyClientEvents } from './types'

/** Chat ids remembered, so history replayed on a resume is not shown twice. */
const SEEN_CHAT_MAX = 1000

/**
 * What the server pushes without being asked (presence, rooms, chat), applied to the client's copy
 * of the lobby and announced as events.
 */
export class LobbyFeed {
  /** Chat ids seen, so history replayed on a resume is not shown twice (bounded). */
  private seenChat = new Set<number>()

  constructor(
    private readonly state: LobbyState,
    private readonly events: Emitter<LobbyClientEvents>,
  ) {}

  /** Listens on `c`; returns the functions that stop each listener. */
  listen(c: GameClient<LobbySchema>): (() => void)[] {
    return [
      c.on('presenceJoin', ({ peer }) => {
        this.state.addPeer(peer)
        this.events.emit('peerJoined', peer)
      }),
      c.on('presenceLeave', ({ id, reason }) => {
        const peer = this.state.removePeer(id)
        if (peer) this.events.emit('peerLeft', peer, reason)
      }),
      c.on('presenceChange', (d) => {
        const r = this.state.changePeer(d)
        if (r) this.events.emit('peerChanged', r.peer, r.change)
      }),
      c.on('presencePings', ({ pings }) => {
        for (const peer of this.state.setPings(pings)) this.events.emit('peerChanged', peer, { ping: peer.ping })
      }),
      c.on('roomAdded', ({ room }) => this.putRoom(room)),
      c.on('roomChanged', ({ room }) => this.putRoom(room)),
      c.on('roomRemoved', ({ id }) => this.state.removeRoom(id) && this.events.emit('roomsChanged', this.state.rooms)),
      c.on('roomKicked', ({ roomId, by }) => this.events.emit('kicked', roomId, by)),
      c.on('chatMessage', (m) => this.chat(m)),
    ]
  }

  /** A new identity: chat seen by the old one may be shown again. */
  forgetChat(): void {
    this.seenChat.clear()
  }

  private putRoom(room: LobbyPayload<'roomAdded'>['room']): void {
    this.state.putRoom(room)
    this.events.emit('roomsChanged', this.state.rooms)
  }

  private chat(m: ChatMessage): void {
    if (this.seenChat.has(m.id)) return
    this.seenChat.add(m.id)
    if (this.seenChat.size > SEEN_CHAT_MAX) this.seenChat.delete(this.seenChat.values().next().value!)
    this.events.emit('chat', m)
  }
}
