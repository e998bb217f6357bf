import { encodeMessage, type Payload, type Schema, type ServerMessage } from '../../shared/schema/index'
import type { ServerConnection } from './server-connection'

/** A named set of connections (a room, a team) that can be sent to at once. */
export class Group<S extends Schema> {
  readonly members = new Set<ServerConnection<S>>()
  /** Each member's close listener, removed when it leaves, so listeners do not pile up. */
  private offClose = new Map<ServerConnection<S>, () => void>()

  constructor(
    readonly name: string,
    private readonly schema: S,
  ) {}

  add(conn: ServerConnection<S>): void {
    if (this.members.has(conn)) return
    this.members.add(conn)
    conn.groups.add(this.name)
    this.offClose.set(conn, conn.events.on('close', () => this.remove(conn)))
  }

  remove(conn: ServerConnection<S>): void {
    this.members.delete(conn)
    conn.groups.delete(this.name)
    this.offClose.get(conn)?.()
    this.offClose.delete(conn)
  }

  /** Removes every member. */
  clear(): void {
    for (const conn of [...this.members]) this.remove(conn)
  }

  has(conn: ServerConnection<S>): boolean {
    return this.members.has(conn)
  }

  get size(): number {
    return this.members.size
  }

  /** Encodes once and sends to every member (but `except`). */
  send<N extends ServerMessage<S>>(name: N, data: Payload<S, N>, options: { except?: ServerConnection<S> } = {}): void {
    sendToMany(this.schema, this.members, name, data, options.except)
  }
}

/**
 * Encodes once and sends to each target. Backpressure is each connection's own: an unreliable
 * message to a backed-up peer is dropped and counted there, a reliable one queues up to the
 * connection's bound (`reliable.maxQueuedBytes`) and the server's `sendBudget`, past which that peer
 * alone is dropped as `slow-consumer`. Returns how many targets were sent to.
 */
export function sendToMany<S extends Schema, N extends ServerMessage<S>>(
  schema: S,
  targets: Iterable<ServerConnection<S>>,
  name: N,
  data: Payload<S, N>,
  except?: ServerConnection<S>,
): number {
  const spec = schema.byName.get(name)
  if (!spec) throw new RangeError(`unknown message ${name}`)
  const encoded = encodeMessage(spec, data)
  let sent = 0
  for (const conn of targets) {
    if (conn === except || !conn.ready || conn.closed) continue
    conn.sendEncoded(spec, encoded)
    sent++
  }
  return sent
}
