/**
 * When does a session resume give up because the server's process is gone? Node says ECONNREFUSED;
 * a browser says only "Failed to fetch", for a refusal and a cut alike, so an attempt that fails fast
 * while online counts as refused, and one that hangs (packets dropped: a blackout) does not.
 * Simulated clock; `open` is a fake that rejects at once, later, or never settles.
 */
import { describe, expect, it } from 'vitest'
import { resumeSession, type OpenedChannel, type ResumeOutcome } from '../../../client/transport/client-resume'
import { ConnectError } from '../../../client/transport/connect-error'
import { classifyFailure, RefusalCounter } from '../../../client/transport/refusal'
import { ManualClock } from '../../../shared/transport/clock'

const GRACE_MS = 60_000

/** Runs a resume whose every attempt is `open`, on simulated time; resolves with its outcome and when it came. */
async function resumeWith(open: (clock: ManualClock) => Promise<OpenedChannel>, online = true): Promise<{ outcome: ResumeOutcome; at: number; attempts: number }> {
  const clock = new ManualClock()
  let attempts = 0
  // Only what resumeSession touches while no connection opens. The session ends the link at its deadline.
  const fake = { options: { clock }, closed: false }
  clock.setTimeout(() => (fake.closed = true), GRACE_MS)
  const link = fake as unknown as Parameters<typeof resumeSession>[0]['link']
  const session = {} as Parameters<typeof resumeSession>[0]['session']
  let outcome: ResumeOutcome | undefined
  void resumeSession({
    link,
    session,
    fingerprint: 'f',
    token: 't',
    deadline: GRACE_MS,
    options: {},
    online: () => online,
    open: () => (attempts++, open(clock)),
  }).then((o) => (outcome = o))
  while (!outcome && clock.now() <= GRACE_MS + 20_000) {
    clock.advance(50)
    await new Promise((r) => setImmediate(r))
  }
  if (!outcome) throw new Error('the resume never ended')
  return { outcome, at: clock.now(), attempts }
}

const failedToFetch = () => Promise.reject(new ConnectError('unreachable', 'WebRTC: webrtc-failed: unreachable: Failed to fetch; WebSocket fallback: WebSocket closed (1006): refused or unreachable'))
const rejectAfter = (ms: number) => (clock: ManualClock) => new Promise<OpenedChannel>((_, reject) => clock.setTimeout(() => reject(new TypeError('Failed to fetch')), ms))
const hang = () => new Promise<OpenedChannel>(() => undefined)

describe('session resume: the server is gone, or the network is cut', () => {
  it('a browser whose attempts fail at once (connection refused, "Failed to fetch") gives up within seconds', async () => {
    const { outcome, at, attempts } = await resumeWith(failedToFetch)
    expect(outcome.ok).toBe(false)
    expect(!outcome.ok && outcome.why).toMatch(/server is not running/)
    // Inferred refusals must go on for 2 s (a network change fails fast too, briefly), then it stops.
    expect(at).toBeGreaterThanOrEqual(2000)
    expect(at).toBeLessThan(5000)
    expect(attempts).toBeGreaterThanOrEqual(3)
  })

  it('Node names the refusal: three in a row are enough', async () => {
    const { outcome, at, attempts } = await resumeWith(() => Promise.reject(new ConnectError('unreachable', 'connection refused: no server is running there')))
    expect(!outcome.ok && outcome.why).toMatch(/server is not running/)
    expect(attempts).toBe(3)
    expect(at).toBeLessThan(2000)
  })

  it('a blackout (the request hangs until the attempt times out) is waited out for the whole grace period', async () => {
    const { outcome, at } = await resumeWith(hang)
    expect(!outcome.ok && outcome.why).not.toMatch(/server is not running/)
    expect(at).toBeGreaterThanOrEqual(GRACE_MS)
  })

  it('failing slowly (after 3 s) is not a refusal', async () => {
    const { outcome, at } = await resumeWith(rejectAfter(3000))
    expect(!outcome.ok && outcome.why).not.toMatch(/server is not running/)
    expect(at).toBeGreaterThanOrEqual(GRACE_MS)
  })

  it('offline (navigator.onLine false): fast failures are ours, not the server\'s', async () => {
    const { at } = await resumeWith(failedToFetch, false)
    expect(at).toBeGreaterThanOrEqual(GRACE_MS)
  })

  it('the server answering with a refusal (429) is running: not counted', async () => {
    const { at } = await resumeWith(() => Promise.reject(new ConnectError('too-many-connections', 'retry later (HTTP 429)')))
    expect(at).toBeGreaterThanOrEqual(GRACE_MS)
  })

  it('a hanging attempt between fast failures starts the count again', async () => {
    let n = 0
    const { outcome, attempts, at } = await resumeWith((clock) => (++n === 3 ? hang() : n < 3 ? failedToFetch() : rejectAfter(10)(clock)))
    expect(!outcome.ok && outcome.why).toMatch(/server is not running/)
    // Two fast, then a hang (3 staggered connections, each timing out after 10 s), then a new run of fast ones.
    expect(at).toBeGreaterThan(10_000 + 2000)
    expect(attempts).toBeGreaterThan(6)
  })
})

describe('refusal rules', () => {
  it('classifies one failed attempt', () => {
    expect(classifyFailure(new TypeError('Failed to fetch'), 40, true, 1500)).toBe('fast')
    expect(classifyFailure(new TypeError('Failed to fetch'), 1600, true, 1500)).toBe('other')
    expect(classifyFailure(new TypeError('Failed to fetch'), 40, false, 1500)).toBe('other')
    expect(classifyFailure(new Error('fetch failed: connect ECONNREFUSED 127.0.0.1:9'), 4000, true, 1500)).toBe('refused')
    expect(classifyFailure(new ConnectError('forbidden', 'origin'), 10, true, 1500)).toBe('other')
  })

  it('gives up after 3 in a row; inferred ones must span 2 s', () => {
    const c = new RefusalCounter()
    expect([c.failed('fast', 0), c.failed('fast', 500), c.failed('fast', 1000)]).toEqual([false, false, false])
    expect(c.failed('fast', 2000)).toBe(true)
    c.reset()
    expect([c.failed('refused', 0), c.failed('other', 10), c.failed('refused', 20), c.failed('refused', 30)]).toEqual([false, false, false, false])
    expect(c.failed('refused', 40)).toBe(true)
  })
})
