/**
 * Real servers and Node clients on loopback for the bench: raw geckos.io, and ours on top of it.
 * Everything binds to 127.0.0.1 so ICE never wanders onto another interface.
 */
import geckosClient, { type ClientChannel } from '@geckos.io/client'
import geckosServer, { type GeckosServer, type ServerChannel } from '@geckos.io/server'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { GameClient, installNodeWebRTC } from '../client/node'
import { GameServer, type ServerConnection } from '../server/index'
import type { GeckosConnectionsManager } from '../server/transport/geckos-internals'
import { benchSchema, type BenchSchema } from './bench-schema'
import { sleep, withTimeout } from './stats'

export const HOST = '127.0.0.1'
const CONNECT_TIMEOUT_MS = 10_000

/** Must run before the first client connects: @geckos.io/client reads the WebRTC globals then. */
export function setUpNodeWebRTC(): void {
  installNodeWebRTC({ bindAddress: HOST })
}

// ---- raw geckos.io -----------------------------------------------------------------------------

export interface RawGeckosServer {
  io: GeckosServer
  port: number
  /**
   * Resolves once the server side of connection `id` has opened. Closing a client before that can
   * abort the server process: geckos' open handler then reads its already-nulled data channel.
   */
  opened(id: string): Promise<void>
  close(): Promise<void>
}

export async function startGeckosServer(onConnection: (ch: ServerChannel) => void = () => undefined): Promise<RawGeckosServer> {
  const io = geckosServer({ iceServers: [], bindAddress: HOST })
  const server = http.createServer((_req, res) => {
    res.statusCode = 404
    res.end()
  })
  io.addServer(server)
  const open = new Set<string>()
  const waiting = new Map<string, () => void>()
  io.onConnection((ch) => {
    const id = String(ch.id)
    open.add(id)
    waiting.get(id)?.()
    waiting.delete(id)
    onConnection(ch)
  })
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve))
  const port = (server.address() as AddressInfo).port
  return {
    io,
    port,
    opened(id) {
      if (open.has(id)) return Promise.resolve()
      return withTimeout(new Promise<void>((resolve) => waiting.set(id, resolve)), CONNECT_TIMEOUT_MS, `server side of geckos connection ${id}`)
    },
    async close() {
      const manager = io.connectionsManager as unknown as GeckosConnectionsManager
      await Promise.all([...manager.connections.values()].map((c) => c.close().catch(() => undefined)))
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

export async function connectGeckos(port: number): Promise<ClientChannel> {
  const channel = geckosClient({ url: `http://${HOST}`, port })
  const open = new Promise<void>((resolve, reject) => void channel.onConnect((err) => (err ? reject(err) : resolve())))
  await withTimeout(open, CONNECT_TIMEOUT_MS, 'raw geckos connect')
  return channel
}

/** Closes while the server is still up: geckos' close() posts to it without catching. */
export function closeGeckos(channel: ClientChannel): void {
  try {
    channel.close()
  } catch {
    // already closed
  }
}

// ---- ours --------------------------------------------------------------------------------------

export interface OurServer {
  server: GameServer<BenchSchema>
  url: string
  close(): Promise<void>
}

/**
 * The default receive budget (600 msg/s per client) is for untrusted players; a ping-pong loop
 * doing thousands of round trips a second would be throttled by it, so the bench turns it off.
 */
export async function startOurServer(): Promise<OurServer> {
  const server = new GameServer(benchSchema, { bindAddress: HOST, link: { rateLimit: false } })
  const port = await server.listen(0, HOST)
  return { server, url: `http://${HOST}:${port}`, close: () => server.close() }
}

export interface OurPair {
  client: GameClient<BenchSchema>
  conn: ServerConnection<BenchSchema>
}

/** A client connected to `s`, with the server's side of the same connection. */
export async function connectOurs(s: OurServer): Promise<OurPair> {
  const accepted = new Promise<ServerConnection<BenchSchema>>((resolve) => {
    const off = s.server.onConnection((c) => {
      off()
      resolve(c)
    })
  })
  const client = new GameClient(benchSchema, { url: s.url, connectTimeoutMs: CONNECT_TIMEOUT_MS })
  await client.connect()
  const conn = await withTimeout(accepted, CONNECT_TIMEOUT_MS, 'server side of our connection')
  return { client, conn }
}

/** Lets the goodbye and geckos' close request leave before the servers go. */
export async function closeOurs(client: GameClient<BenchSchema>): Promise<void> {
  client.close()
  await sleep(150)
}
