import type { ClientMessage, ServerMessage } from '../../../shared/schema/index'
import { ManualClock } from '../../../shared/transport/clock'
import { Link } from '../../../shared/transport/link'
import type { LinkOptions } from '../../../shared/transport/link-options'
import { memoryPipePair } from '../../../shared/transport/memory-pipe'
import type { DataPipe } from '../../../shared/transport/pipe'
import { seededRandom } from '../../../shared/transport/random'
import type { LinkError } from '../../../shared/transport/reject'
import type { DisconnectReason } from '../../../shared/protocol/engine'
import { testSchema, type TestSchema } from '../../support/test-schema'

export type ServerLink = Link<TestSchema, ClientMessage<TestSchema>, ServerMessage<TestSchema>>
export type ClientLink = Link<TestSchema, ServerMessage<TestSchema>, ClientMessage<TestSchema>>

/** The in-memory pipe also takes text frames, as a hostile peer could send them. */
export type TextPipe = DataPipe & { sendText(text: string): void }

/** Lets every queued microtask (memory pipe deliveries and what they trigger) run. */
export const flush = () => new Promise<void>((r) => setImmediate(r))

/** What one end saw: errors by code and how it closed. */
export function watch(link: ServerLink | ClientLink) {
  const errors: LinkError[] = []
  const closes: [DisconnectReason, string][] = []
  link.events.on('error', (e) => errors.push(e))
  link.events.on('close', (reason, detail) => closes.push([reason, detail]))
  return { errors, closes }
}

/**
 * A server-role and a client-role link joined by two memory pipe pairs, on one ManualClock.
 * The server starts `ready` unless told otherwise (the handshake belongs to GameServer).
 */
export function linkPair(o: { server?: Partial<LinkOptions>; client?: Partial<LinkOptions>; ready?: boolean } = {}) {
  const clock = new ManualClock()
  const [serverUnreliable, clientUnreliable] = memoryPipePair()
  const [serverReliable, clientReliable] = memoryPipePair()
  const server: ServerLink = new Link(testSchema, { unreliable: serverUnreliable, reliable: serverReliable }, 'server', { clock, random: seededRandom(11), ...o.server })
  const client: ClientLink = new Link(testSchema, { unreliable: clientUnreliable, reliable: clientReliable }, 'client', { clock, random: seededRandom(22), ...o.client })
  server.ready = o.ready ?? true
  /** Moves simulated time in steps, letting the pipes deliver after each. */
  async function advance(ms: number, stepMs = 10): Promise<void> {
    for (let t = 0; t < ms; t += stepMs) {
      clock.advance(Math.min(stepMs, ms - t))
      await flush()
    }
  }
  return {
    clock,
    server,
    client,
    advance,
    /** The client's ends of the pipes, to put raw frames on the wire as a hostile client would. */
    raw: { unreliable: clientUnreliable as TextPipe, reliable: clientReliable as TextPipe },
    close() {
      server.close('closed', '', false)
      client.close('closed', '', false)
    },
  }
}
