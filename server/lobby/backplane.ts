import { LOBBY_LIMITS, type LobbyPayload, type LobbySchema, type PeerInfo, type SettableStatus } from '../../shared/lobby/index'
import type { Group } from '../transport/group'
import type { LobbyConnection } from './peer'

/** What the lobby tells every joined peer: presence and room deltas. A backplane mirrors these to other nodes. */
export const LOBBY_BROADCASTS = ['presenceJoin', 'presenceLeave', 'presenceChange', 'presencePings', 'roomAdded', 'roomChanged', 'roomRemoved'] as const
export type BroadcastName = (typeof LOBBY_BROADCASTS)[number]
export type Broadcast = { [N in BroadcastName]: { name: N; payload: LobbyPayload<N> } }[BroadcastName]
export type RoomWire = LobbyPayload<'roomAdded'>['room']

/** `clusterNodes` as the wire allows it: a node URL too long to send is left out, not a failed send. */
export function clusterNodesPayload(urls: readonly string[]): LobbyPayload<'clusterNodes'> {
  return { urls: urls.filter((u) => u.length <= LOBBY_LIMITS.urlLength).slice(0, LOBBY_LIMITS.maxNodes) }
}

/** A peer taken over from another node (a resume there, or a node that died): its identity, name already claimed. */
export interface AdoptedPeer {
  peerId: string
  name: string
  status: SettableStatus
}

/** The answer to joining a room hosted on another node. */
export interface Redirect {
  url: string
  seat: string
}

/** What the lobby offers its backplane: reading local state and acting on requests from other nodes. */
export interface BackplaneHost {
  /** A delta from another node, to this node's joined peers (not mirrored back). */
  sendEveryone(b: Broadcast): void
  connectionOf(peerId: string): LobbyConnection | undefined
  peer(peerId: string): PeerInfo | undefined
  /** Local peers with their name keys (for re-registering after a Redis restart). */
  localPeers(): { info: PeerInfo; key: string }[]
  localRooms(): RoomWire[]
  /** Salt and digest of a local room's password (never the password). */
  roomSecret(roomId: string): { salt: Buffer; digest: Buffer } | undefined
  /** Another node took this peer over: forget it here without telling anyone it left. */
  handOff(peerId: string): void
  /** The cluster's live nodes changed: tell every joined peer where it can resume (`clusterNodes`). */
  nodesChanged(urls: string[]): void
}

/**
 * The seam between one lobby node and the rest of a cluster. Without a backplane (the default) the
 * lobby is in-memory and alone: names, presence, rooms and resume tokens live in its maps and every
 * request is answered synchronously. With one (e.g. `server/cluster/RedisBackplane`), the lobby keeps
 * its local peers and rooms in the same maps, and asks the backplane about everything beyond them.
 */
export interface LobbyBackplane {
  attach(host: BackplaneHost): void
  /** Every lobby-wide delta this node sends (after sending it locally). */
  mirror(b: Broadcast): void
  /** Other nodes' peers and rooms, for a welcome. */
  remotePeers(): PeerInfo[]
  remoteRooms(): RoomWire[]
  remotePeer(peerId: string): PeerInfo | undefined
  hostsRoomElsewhere(roomId: string): boolean
  /**
   * Claims `name` or the first free variant of it (`name (2)`...) for `peerId`, atomically across the
   * cluster. `localTaken` answers for this node's own names. Resolves with the name claimed.
   */
  claimName(name: string, peerId: string, localTaken: (key: string) => boolean): Promise<string>
  /** A resume token issued here (the previous one of that peer stops working). */
  tokenIssued(peerId: string, token: string): void
  /** A token this node does not know: a peer of another node (alive: taken over from it; dead: adopted). Single use. */
  takeOver(token: string, localTaken: (key: string) => boolean): Promise<AdoptedPeer | undefined>
  /** The peer left the cluster for good: its name and token are free. */
  peerGone(peerId: string): void
  /** Checks capacity and password for a room hosted elsewhere and issues a one-time seat there. Throws LobbyError. */
  redirect(peerId: string, roomId: string, password: string | undefined): Promise<Redirect>
  /** Consumes a seat issued for `peerId`; resolves with its room id, or undefined when unknown, used or expired. */
  takeSeat(seat: string, peerId: string): Promise<string | undefined>
  /** Sends a message to a peer connected to another node; false when no node has it connected. */
  deliver(peerId: string, name: 'chatMessage', payload: LobbyPayload<'chatMessage'>): boolean
  /** First chat id this node hands out: nodes count in disjoint ranges so clients can tell messages apart. */
  readonly chatIdBase: number
  /**
   * The public URLs of the cluster's live nodes, this node's first: sent to players after their
   * welcome (`clusterNodes`), so a player whose node dies knows where to resume. Optional.
   */
  nodeUrls?(): string[]
}

/** The lobby-wide group, with every send also handed to the backplane. */
export function mirroredGroup(group: Group<LobbySchema>, mirror: (b: Broadcast) => void): Group<LobbySchema> {
  const send = group.send.bind(group)
  const wrapped = Object.create(group) as Group<LobbySchema>
  wrapped.send = (name, data, options) => {
    send(name, data, options)
    if ((LOBBY_BROADCASTS as readonly string[]).includes(name)) mirror({ name, payload: data } as Broadcast)
  }
  return wrapped
}
