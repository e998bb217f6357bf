import { PROTOCOL_VERSION } from '../../shared/protocol/engine'
import type { MessageName, Schema } from '../../shared/schema/index'
import type { Link } from '../../shared/transport/index'
import type { ChannelPipes, LinkSession } from '../../shared/transport/session'

export interface ResumeOptions {
  /** One attempt (new WebRTC connection, resume handshake) gives up after this long. Default 4 s. */
  attemptTimeoutMs?: number
  /** Wait between failed attempts. Default 500 ms. */
  retryDelayMs?: number
}

export interface OpenedChannel {
  pipes: ChannelPipes
  close(): void
}

interface Attempt<S extends Schema, I extends MessageName<S>, O extends MessageName<S>> {
  link: Link<S, I, O>
  session: LinkSession
  fingerprint: string
  token: string
  /** Opens a new WebRTC connection to the server. */
  open(): Promise<OpenedChannel>
  /** The session's grace period ends (ms, the link clock). */
  deadline: number
  options: ResumeOptions
}

export type ResumeOutcome =
  | { ok: true; channel: OpenedChannel; token: string; replayed: number; suspendedMs: number; handshakeMs: number }
  | { ok: false; why: string }

/**
 * Resumes a suspended session: opens a new connection, presents the token and the count of
 * messages we received, and on `resumed` replays what the server missed. Retries until the grace
 * period is over or the link closes (the server refused the token: it sends `bye` and the link ends).
 */
export async function resumeSession<S extends Schema, I extends MessageName<S>, O extends MessageName<S>>(a: Attempt<S, I, O>): Promise<ResumeOutcome> {
  const { link, session } = a
  const clock = link.options.clock
  const attemptMs = a.options.attemptTimeoutMs ?? 4000
  const retryMs = a.options.retryDelayMs ?? 500
  let why = 'grace period over'
  while (!link.closed && clock.now() < a.deadline) {
    const started = clock.now()
    const channel = await within(a.open(), attemptMs, (late) => late.close()).catch((err: unknown) => {
      why = err instanceof Error ? err.message : String(err)
      return undefined
    })
    if (channel && !link.closed) {
      let off = (): void => undefined
      const answer = new Promise<{ received: number; token: string } | undefined>((resolve) => {
        link.onEngine('resumed', (d) => resolve(d))
        off = link.events.on('close', () => resolve(undefined))
        clock.setTimeout(() => resolve(undefined), Math.max(0, attemptMs - (clock.now() - started)))
      })
      session.attach(channel.pipes)
      const sentAt = clock.now()
      link.sendEngine('resume', { protocol: PROTOCOL_VERSION, fingerprint: a.fingerprint, token: a.token, received: session.book.received })
      const reply = await answer
      off()
      if (reply && !link.closed) {
        const handshakeMs = clock.now() - sentAt
        let done = { replayed: 0, suspendedMs: 0 }
        const offResumed = session.events.on('resumed', (r) => (done = r))
        const completed = session.complete(reply.received)
        offResumed()
        if (!completed) {
          link.close('resume-failed', `the server claims ${reply.received} of ${session.book.sent} messages`)
          channel.close()
          return { ok: false, why: 'impossible count from the server' }
        }
        return { ok: true, channel, token: reply.token, ...done, handshakeMs }
      }
      why = link.closed ? 'the server refused the resume' : `no answer within ${attemptMs} ms`
      session.detach()
      channel.close()
    }
    if (link.closed) {
      channel?.close() // opened just as the link ended
      break
    }
    await new Promise((r) => clock.setTimeout(() => r(undefined), retryMs))
  }
  return { ok: false, why }
}

/** Rejects after `ms`; a result that arrives later is handed to `late` (to be closed). */
function within<T>(p: Promise<T>, ms: number, late: (value: T) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    let done = false
    const timer = setTimeout(() => {
      done = true
      reject(new Error(`no connection within ${ms} ms`))
    }, ms)
    p.then(
      (v) => {
        if (done) return late(v)
        done = true
        clearTimeout(timer)
        resolve(v)
      },
      (err: unknown) => {
        if (done) return
        done = true
        clearTimeout(timer)
        reject(err instanceof Error ? err : new Error(String(err)))
      },
    )
  })
}
