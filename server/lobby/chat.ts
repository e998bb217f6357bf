import { checkChatText, LobbyError, type ChatMessage, type LobbySchema } from '../../shared/lobby/index'
import type { GameServer } from '../transport/game-server'
import type { LobbyBackplane } from './backplane'
import type { ResolvedLobbyOptions } from './options'
import type { Peer } from './peer'
import type { Presence } from './presence'
import { roomGroupName } from './room-group'

/**
 * Chat: room messages to the room's members, direct messages to their target and an echo to the
 * sender. One server counter orders every message; the last few per room are replayed on joining.
 */
export class Chat {
  private nextId: number
  private history = new Map<string, ChatMessage[]>()

  constructor(
    private readonly server: GameServer<LobbySchema>,
    private readonly options: ResolvedLobbyOptions,
    private readonly presence: Presence,
    /** Scale-out: direct messages to peers on other nodes, and this node's range of message ids. */
    private readonly backplane?: LobbyBackplane,
  ) {
    this.nextId = backplane?.chatIdBase ?? 1
  }

  /** `to`: `'room'` or a peer id. Throws LobbyError. */
  send(from: Peer, to: string, rawText: string): void {
    const { chat, clock, wallClock } = this.options
    const checked = checkChatText(rawText, chat.maxLength)
    if (!checked.ok) throw new LobbyError('invalid-text', checked.reason)
    const target = to === 'room' ? undefined : this.presence.peers.get(to)
    const remote = to !== 'room' && !target ? this.backplane?.remotePeer(to) : undefined
    if (to === 'room' && from.room === undefined) throw new LobbyError('not-in-room', 'join a room to talk in one')
    if (remote?.status === 'reconnecting') throw new LobbyError('unknown-peer', `${to} is reconnecting`)
    if (to !== 'room' && !target?.conn && !remote) throw new LobbyError('unknown-peer', target ? `${to} is reconnecting` : `no peer ${to}`)
    if (target === from) throw new LobbyError('invalid-request', 'cannot message yourself')
    // Spent only once the message is known to be deliverable, so mistakes do not eat the budget.
    if (!from.chatBucket.take(1, clock.now())) throw new LobbyError('rate-limited', `at most ${chat.perSecond} messages per second`)
    const message: ChatMessage = {
      id: this.nextId++,
      from: from.id,
      fromName: from.name,
      to,
      room: to === 'room' ? from.room : undefined,
      text: checked.text,
      at: wallClock(),
      replay: false,
    }
    if (message.room !== undefined) {
      this.server.group(roomGroupName(message.room)).send('chatMessage', message)
      this.remember(message.room, message)
    } else if (remote) {
      if (!this.backplane!.deliver(to, 'chatMessage', message)) throw new LobbyError('unknown-peer', `${to} is not connected`)
      from.conn?.send('chatMessage', message)
    } else {
      target!.conn!.send('chatMessage', message)
      from.conn?.send('chatMessage', message)
    }
  }

  /** Sends the room's recent messages to one peer (a newcomer, or a member back from reconnecting). */
  replay(peer: Peer, roomId: string): void {
    for (const m of this.history.get(roomId) ?? []) peer.conn?.send('chatMessage', { ...m, replay: true })
  }

  forget(roomId: string): void {
    this.history.delete(roomId)
  }

  private remember(roomId: string, message: ChatMessage): void {
    let list = this.history.get(roomId)
    if (!list) this.history.set(roomId, (list = []))
    list.push(message)
    if (list.length > this.options.chat.history) list.shift()
  }
}
