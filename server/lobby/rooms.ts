import { checkMeta, LOBBY_LIMITS, LobbyError, metaToRecord, normalizeName, type LobbyPayload, type LobbySchema, type MemberLeaveReason, type MetaEntry, type RoomInfo } from '../../shared/lobby/index'
import type { Emitter } from '../../shared/transport/emitter'
import type { GameServer } from '../transport/game-server'
import type { Group } from '../transport/group'
import type { Chat } from './chat'
import type { ResolvedLobbyOptions } from './options'
import type { LobbyServerEvents, Peer } from './peer'
import type { Presence } from './presence'
import { roomGroupName } from './room-group'
import { digest, salt, sameDigest, shortId } from './secrets'

interface Room {
  readonly id: string
  readonly name: string
  owner: string
  readonly capacity: number
  /** Peer ids in join order: the first after the owner is the longest present, next in line to own. */
  readonly members: Set<string>
  /** SHA-256 of salt + password; the password itself is not kept. */
  readonly password: { salt: Buffer; digest: Buffer } | undefined
  readonly meta: MetaEntry[]
  /** Kicked peers may not come back while the room lasts. */
  readonly banned: Set<string>
  readonly group: Group<LobbySchema>
}

type RoomWire = LobbyPayload<'roomAdded'>['room']

/**
 * Rooms: create, join, leave, kick, owner hand-over, closing when empty. A peer is in at most one room;
 * joining or creating another leaves the current one first. A reconnecting member keeps its place
 * (and ownership) until its grace period ends.
 */
export class Rooms {
  private rooms = new Map<string, Room>()

  constructor(
    private readonly server: GameServer<LobbySchema>,
    private readonly options: ResolvedLobbyOptions,
    private readonly events: Emitter<LobbyServerEvents>,
    private readonly presence: Presence,
    private readonly chat: Chat,
  ) {}

  list(): RoomWire[] {
    return [...this.rooms.values()].map(wire)
  }

  info(roomId: string): RoomInfo | undefined {
    const room = this.rooms.get(roomId)
    return room && toRoomInfo(room)
  }

  members(roomId: string): string[] {
    return [...(this.rooms.get(roomId)?.members ?? [])]
  }

  create(peer: Peer, req: LobbyPayload<'roomCreate'>): string {
    const name = normalizeName(req.name, LOBBY_LIMITS.roomNameCodePoints)
    if (!name.ok) throw new LobbyError('invalid-request', `room name: ${name.reason}`)
    if (req.capacity < 1 || req.capacity > this.options.maxCapacity) throw new LobbyError('invalid-request', `capacity must be 1..${this.options.maxCapacity}`)
    const meta = checkMeta(req.meta)
    if (!meta.ok) throw new LobbyError('invalid-request', meta.reason)
    if (this.rooms.size >= this.options.maxRooms) throw new LobbyError('too-many-rooms', `at most ${this.options.maxRooms} rooms`)
    this.leave(peer, 'moved')
    let id: string
    do id = shortId()
    while (this.rooms.has(id))
    const s = salt()
    const room: Room = {
      id,
      name: name.name,
      owner: peer.id,
      capacity: req.capacity,
      members: new Set(),
      password: req.password ? { salt: s, digest: digest(s, req.password) } : undefined,
      meta: meta.entries,
      banned: new Set(),
      group: this.server.group(roomGroupName(id)),
    }
    this.rooms.set(id, room)
    this.enter(room, peer, 'roomAdded')
    return id
  }

  /** `seated`: the password was checked by the node that issued the peer's seat. */
  join(peer: Peer, roomId: string, password: string | undefined, seated = false): void {
    const room = this.rooms.get(roomId)
    if (!room) throw new LobbyError('unknown-room', `no room ${roomId}`)
    if (room.members.has(peer.id)) return
    if (room.banned.has(peer.id)) throw new LobbyError('banned', 'kicked from this room')
    if (room.members.size >= room.capacity) throw new LobbyError('room-full', `${room.capacity} of ${room.capacity}`)
    // Digests of equal length compared in constant time: timing tells nothing about the password.
    if (room.password && !seated && !sameDigest(room.password.digest, digest(room.password.salt, password ?? '')))
      throw new LobbyError('wrong-password', 'wrong password')
    this.leave(peer, 'moved')
    this.enter(room, peer)
  }

  /** The password's salt and digest (scale-out: other nodes check it before redirecting a joiner here). */
  secret(roomId: string): { salt: Buffer; digest: Buffer } | undefined {
    return this.rooms.get(roomId)?.password
  }

  /** Leaves the peer's room, if any: hands ownership on, or closes the room when it is empty. */
  leave(peer: Peer, reason: MemberLeaveReason): void {
    const room = peer.room === undefined ? undefined : this.rooms.get(peer.room)
    if (!room) return
    room.members.delete(peer.id)
    if (peer.conn) room.group.remove(peer.conn)
    if (peer.leaving) peer.room = undefined // about to be announced gone: no separate change
    else this.presence.change(peer, { room: '' })
    this.events.emit('memberLeft', room.id, peer.id, reason)
    this.events.emit('peerRoomChanged', peer.id, undefined)
    if (room.members.size === 0) return this.close(room)
    if (room.owner === peer.id) room.owner = room.members.values().next().value!
    this.presence.everyone.send('roomChanged', { room: wire(room) })
  }

  kick(owner: Peer, targetId: string): void {
    const room = owner.room === undefined ? undefined : this.rooms.get(owner.room)
    if (!room) throw new LobbyError('not-in-room', 'not in a room')
    if (room.owner !== owner.id) throw new LobbyError('not-owner', 'only the owner may kick')
    if (targetId === owner.id) throw new LobbyError('invalid-request', 'cannot kick yourself')
    const target = this.presence.peers.get(targetId)
    if (!target || !room.members.has(targetId)) throw new LobbyError('unknown-peer', `${targetId} is not in this room`)
    room.banned.add(targetId)
    target.conn?.send('roomKicked', { roomId: room.id, by: owner.id })
    this.leave(target, 'kicked')
  }

  /** A resumed member's new connection rejoins its room's group. */
  reattach(peer: Peer): void {
    const room = peer.room === undefined ? undefined : this.rooms.get(peer.room)
    if (room && peer.conn) room.group.add(peer.conn)
  }

  /** `roomAdded` for a new room: it is announced once, with its creator already in it. */
  private enter(room: Room, peer: Peer, announce: 'roomAdded' | 'roomChanged' = 'roomChanged'): void {
    room.members.add(peer.id)
    if (peer.conn) room.group.add(peer.conn)
    // The room first, then the peer's move into it: a client never sees a peer in an unknown room.
    this.presence.everyone.send(announce, { room: wire(room) })
    this.presence.change(peer, { room: room.id })
    this.chat.replay(peer, room.id)
    if (announce === 'roomAdded') this.events.emit('roomCreated', toRoomInfo(room))
    this.events.emit('memberJoined', room.id, peer.id)
    this.events.emit('peerRoomChanged', peer.id, room.id)
  }

  private close(room: Room): void {
    this.rooms.delete(room.id)
    this.server.deleteGroup(roomGroupName(room.id))
    this.chat.forget(room.id)
    this.presence.everyone.send('roomRemoved', { id: room.id })
    this.events.emit('roomClosed', toRoomInfo(room))
  }
}

function wire(room: Room): RoomWire {
  return { id: room.id, name: room.name, owner: room.owner, capacity: room.capacity, size: room.members.size, hasPassword: !!room.password, meta: room.meta }
}

function toRoomInfo(room: Room): RoomInfo {
  return { ...wire(room), meta: metaToRecord(room.meta) }
}
