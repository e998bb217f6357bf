/** Every Redis key and channel of a cluster, in one place. `np:` keeps them apart from other data in the same Redis. */
import { Redis, type RedisOptions } from 'ioredis'

export const K = {
  /** SET of node ids that registered. */
  nodes: 'np:nodes',
  /** HASH url, started. */
  node: (n: string) => `np:node:${n}`,
  /** STRING with a TTL the node keeps renewing: its heartbeat. */
  alive: (n: string) => `np:alive:${n}`,
  /** HASH peerId -> PeerInfo JSON: the node's peers as everyone sees them. */
  peers: (n: string) => `np:peers:${n}`,
  /** HASH roomId -> room JSON (as on the wire). */
  rooms: (n: string) => `np:rooms:${n}`,
  /** HASH peerId -> name key, and peerId -> token digest: what to release when the node dies. */
  names: (n: string) => `np:names:${n}`,
  toks: (n: string) => `np:toks:${n}`,
  /** STRING peerId: the cluster-wide claim on a name (by its `nameKey`). */
  name: (key: string) => `np:name:${key}`,
  /** STRING {peerId, node, name}: a resume token, by the SHA-256 of the token. Single use (GETDEL). */
  tok: (digestHex: string) => `np:tok:${digestHex}`,
  /** STRING {salt, digest} hex of a room's password. */
  roomPw: (roomId: string) => `np:roompw:${roomId}`,
  /** STRING {peerId, roomId}, short TTL, single use: a seat in a room on another node. */
  seat: (seat: string) => `np:seat:${seat}`,
  /** SET NX lock: one survivor cleans up after a dead node. */
  reap: (n: string) => `np:reap:${n}`,
  /** INCR counter handing out node numbers (chat id ranges). */
  nodeCounter: 'np:nodecount',
  /** Pub/sub: lobby deltas from every node; messages to one node (deliveries, hand-overs). */
  lobbyChannel: 'np:lobby',
  toNode: (n: string) => `np:to:${n}`,
} as const

/** Claims a free name for a peer and records it under the node, in one step. */
const CLAIM_NAME = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX') then
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
  return 1
end
return 0`

/**
 * Takes a name back for the same peer (a resume on another node): free, or still held by it (its TTL
 * is dropped). The old node's records of the peer go, so its reaper cannot expire the name again.
 */
export const RECLAIM_NAME = `
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
local v = redis.call('GET', KEYS[1])
if v == false or v == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1])
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
  return 1
end
return 0`

/** Sets a TTL on a name claim only while it still belongs to the given peer. */
export const EXPIRE_NAME_IF_OWNER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`

export interface ClusterRedis extends Redis {
  claimName(nameKey: string, nodeNames: string, peerId: string, key: string): Promise<number>
  reclaimName(nameKey: string, nodeNames: string, oldNodeNames: string, oldNodeToks: string, peerId: string, key: string): Promise<number>
}

/**
 * A command connection: fails fast while Redis is down (no offline queue, so a request does not hang),
 * and keeps reconnecting (every 0.2..2 s) until it is back.
 */
export function commandConnection(url: string): ClusterRedis {
  const r = new Redis(url, { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 0 }) as ClusterRedis
  r.defineCommand('claimName', { numberOfKeys: 2, lua: CLAIM_NAME })
  r.defineCommand('reclaimName', { numberOfKeys: 4, lua: RECLAIM_NAME })
  return r
}

/** The subscriber connection: resubscribes by itself after a reconnect. */
export function subscriberConnection(url: string): Redis {
  return new Redis(url, { ...common, autoResubscribe: true })
}

const common: RedisOptions = {
  retryStrategy: (attempt) => Math.min(200 * attempt, 2000),
  connectionName: 'netplay',
  lazyConnect: true,
}
