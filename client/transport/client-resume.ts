import { PROTOCOL_VERSION } from '../../shared/protocol/engine'
import type { MessageName, Schema } from '../../shared/schema/index'
import type { Link } from '../../shared/transport/index'
import type { ChannelPipes, LinkSession } from '../../shared/transport/session'
import type { Clock } from '../../shared/transport/clock'
import { AttemptTimeout, browserOnline, classifyFailure, DEFAULT_REFUSAL_RULES, RefusalCounter } from './refusal'

export interface ResumeOptions {
  /** A new WebRTC connection may take this long to open (a loaded machine), and the answer as long again. Default 10 s. */
  attemptTimeoutMs?: number
  /**
   * While connections are still opening, another is started this often (at most 3 at once): one stuck
   * behind the outage (a TCP SYN backing off) must not hold the resume back once the network is back.
   * Default 1.5 s.
   */
  staggerMs?: number
  /** Wait after every open connection failed. Default 500 ms. */
  retryDelayMs?: number
  /**
   * An attempt that fails faster than this counts as refused: the server's process is gone (see
   * refusal.ts); a few in a row end the session at once instead of waiting out its grace period.
   * Default 1.5 s.
   */
  fastFailMs?: number
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
  /** Whether this device believes it is online (`navigator.onLine`); injectable for tests. */
  online?: () => boolean
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
  const attemptMs = a.options.attemptTimeoutMs ?? 10_000
  const retryMs = a.options.retryDelayMs ?? 500
  const staggerMs = a.options.staggerMs ?? 1500
  const rules = { ...DEFAULT_REFUSAL_RULES, fastFailMs: a.options.fastFailMs ?? DEFAULT_REFUSAL_RULES.fastFailMs }
  const refusals = new RefusalCounter(rules)
  const online = a.online ?? browserOnline
  let why = 'grace period over'
  while (!link.closed && clock.now() < a.deadline) {
    const startedAt = clock.now()
    let failure: unknown
    const channel = await openStaggered(a.open, attemptMs, staggerMs, () => link.closed, clock).catch((err: unknown) => {
      failure = err
      why = err instanceof Error ? err.message : String(err)
      return undefined
    })
    // The server's process is gone (sessions live in its memory): waiting out the grace period would
    // only delay the lobby's own resume elsewhere.
    if (channel) refusals.reset()
    else if (!link.closed && refusals.failed(classifyFailure(failure, clock.now() - startedAt, online(), rules.fastFailMs), clock.now()))
      return { ok: false, why: `the server is not running (${why}): the session ended with it` }
    if (channel && !link.closed) {
      let off = (): void => undefined
      const answer = new Promise<{ received: number; token: string } | undefined>((resolve) => {
        link.onEngine('resumed', (d) => resolve(d))
        off = link.events.on('close', () => resolve(undefined))
        clock.setTimeout(() => resolve(undefined), attemptMs)
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

const MAX_OPENING = 3

/**
 * The first of staggered connection attempts to open: one now, another every `staggerMs` while none
 * has opened (at most MAX_OPENING at once), each given up after `timeoutMs`. Rejects with the last
 * failure when all those started have failed; the others, and any that open later, are closed.
 */
function openStaggered(open: () => Promise<OpenedChannel>, timeoutMs: number, staggerMs: number, stopped: () => boolean, clock: Clock): Promise<OpenedChannel> {
  return new Promise((resolve, reject) => {
    let settled = false
    let opening = 0
    let stagger: unknown
    const settle = (fn: () => void) => {
      settled = true
      clock.clearTimeout(stagger)
      fn()
    }
    const failed = (err: unknown) => {
      opening--
      if (opening === 0 && !settled) settle(() => reject(err instanceof Error ? err : new Error(String(err))))
    }
    const start = () => {
      opening++
      let abandoned = false
      const timer = clock.setTimeout(() => {
        abandoned = true
        failed(new AttemptTimeout(`no connection within ${timeoutMs} ms`))
      }, timeoutMs)
      open().then(
        (channel) => {
          clock.clearTimeout(timer)
          if (settled || abandoned) return channel.close()
          settle(() => resolve(channel))
        },
        (err: unknown) => {
          clock.clearTimeout(timer)
          if (!abandoned) failed(err)
        },
      )
    }
    const next = () => {
      if (settled) return
      if (stopped()) return settle(() => reject(new Error('stopped')))
      if (opening < MAX_OPENING) start()
      stagger = clock.setTimeout(next, staggerMs)
    }
    start()
    stagger = clock.setTimeout(next, staggerMs)
  })
}
