/**
 * What the file and signalling tests share: an app schema composed the way an application does it,
 * and a tiny PeerDirectory standing in for the lobby (peer id = connection id, rooms set by the test).
 */
import type { GameClient } from '../../../client/index'
import type { PeerDirectory } from '../../../server/lobby/directory'
import type { GameServer, ServerConnection } from '../../../server/index'
import { fileMessages } from '../../../shared/files/file-messages'
import { defineSchema, t, type Schema } from '../../../shared/schema/index'
import { signalMessages } from '../../../shared/signalling/signal-messages'
import { Emitter } from '../../../shared/transport/emitter'
import { connectClient, startServer } from '../../support/real-net'

export const appSchema = defineSchema({
  ...fileMessages,
  ...signalMessages,
  /** Stands for any reliable game or chat message: the server echoes it to the sender. */
  chat: { channel: 'reliable', fields: { seq: t.uint32(), sentAt: t.float64(), text: t.string({ maxLength: 200 }) } },
  /** Stands for game state: unreliable, server to client. */
  state: { channel: 'unreliable', direction: 'toClient', fields: { seq: t.uint32(), sentAt: t.float64(), pad: t.binary({ maxLength: 512 }) } },
})
export type AppSchema = typeof appSchema

export class TestDirectory implements PeerDirectory {
  readonly rooms = new Map<string, string>()
  readonly names = new Map<string, string>()
  private events = new Emitter<{ left: [string]; room: [string, string | undefined] }>()

  constructor(private readonly server: GameServer<AppSchema>) {
    server.onConnection((conn) => conn.events.on('close', () => this.leave(conn.id)))
  }

  peerIdOf(conn: ServerConnection<Schema>): string | undefined {
    return this.server.connections.has(conn.id) ? conn.id : undefined
  }
  connectionOf(peerId: string): ServerConnection<Schema> | undefined {
    return this.server.connections.get(peerId) as ServerConnection<Schema> | undefined
  }
  roomOf(peerId: string): string | undefined {
    return this.rooms.get(peerId)
  }
  nameOf(peerId: string): string | undefined {
    return this.names.get(peerId)
  }
  onPeerLeft(listener: (peerId: string) => void): () => void {
    return this.events.on('left', listener)
  }
  onRoomChanged(listener: (peerId: string, roomId: string | undefined) => void): () => void {
    return this.events.on('room', listener)
  }

  setRoom(peerId: string, room: string | undefined): void {
    if (room === undefined) this.rooms.delete(peerId)
    else this.rooms.set(peerId, room)
    this.events.emit('room', peerId, room)
  }

  private gone = new Set<string>()

  leave(peerId: string): void {
    if (this.gone.has(peerId)) return
    this.gone.add(peerId)
    this.rooms.delete(peerId)
    this.names.delete(peerId)
    this.events.emit('left', peerId)
  }
}

export interface App {
  server: GameServer<AppSchema>
  url: string
  directory: TestDirectory
  clients: GameClient<AppSchema>[]
}

/** A real server with `n` real clients on loopback; chat is echoed to its sender. */
export async function startApp(n: number): Promise<App> {
  const { server, url } = await startServer(appSchema)
  const directory = new TestDirectory(server)
  server.on('chat', (d, conn) => conn.send('chat', d))
  const clients: GameClient<AppSchema>[] = []
  for (let i = 0; i < n; i++) clients.push(await connectClient(appSchema, url))
  return { server, url, directory, clients }
}

export async function stopApp(app: App | undefined): Promise<void> {
  if (!app) return
  for (const c of app.clients) c.close()
  await app.server.close()
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}
