/**
 * The demo's connectivity features in a real browser, against a real coturn.
 *
 * Media through a real coturn: the demo server mints TURN REST credentials (`turn` option), the page
 * opened with `?media=relay` builds its media mesh with `iceTransportPolicy: 'relay'` (Chromium
 * enforces it), and two players in a room see each other's camera. Proven two ways: each page's
 * selected candidate pair is relay on both ends, and coturn logged new allocations.
 *
 * The doctor on request: the header's "Check connection" button lists what would be used and why.
 */
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDemoServer } from '../../server/demo/demo-server'
import { browserAvailability, launchBrowser } from '../support/browser'
import { runOrSkip } from '../support/skip-policy'
import { canRunTurn, startTurn, type TurnServer } from '../support/turn'

const available = browserAvailability()
const turnAvailable = runOrSkip('turn', canRunTurn())
const SECRET = 'e2e-static-auth-secret'

/** Records every RTCPeerConnection the page creates, so the test can read the mesh's stats. */
const RECORD_PEER_CONNECTIONS = `(() => {
  const Native = window.RTCPeerConnection
  const seen = (window.__pcs = [])
  window.RTCPeerConnection = class extends Native {
    constructor(...args) { super(...args); seen.push(this) }
  }
})()`

interface PairReport {
  policy: string | undefined
  state: string
  local?: string
  remote?: string
  bytesReceived?: number
}

/** The selected candidate pair of every relay-only peer connection in the page. */
function relayPairs(page: Page): Promise<PairReport[]> {
  return page.evaluate(async () => {
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs
    const out: PairReport[] = []
    for (const pc of pcs) {
      const policy = pc.getConfiguration().iceTransportPolicy
      if (policy !== 'relay' || pc.connectionState === 'closed') continue
      const stats = await pc.getStats()
      const byId = new Map<string, Record<string, unknown>>()
      stats.forEach((s: Record<string, unknown>) => byId.set(s.id as string, s))
      const transport = [...byId.values()].find((s) => s.type === 'transport' && s.selectedCandidatePairId)
      const pair = transport && byId.get(transport.selectedCandidatePairId as string)
      out.push({
        policy,
        state: pc.connectionState,
        local: pair && (byId.get(pair.localCandidateId as string)?.candidateType as string),
        remote: pair && (byId.get(pair.remoteCandidateId as string)?.candidateType as string),
        bytesReceived: pair?.bytesReceived as number | undefined,
      })
    }
    return out
  })
}

async function signIn(page: Page, url: string, name: string): Promise<void> {
  await page.goto(url)
  await page.fill('#signin-name', name)
  await page.click('#signin button[type=submit]')
  await page.waitForSelector('#lobby', { timeout: 15_000 })
}

describe.skipIf(!available.ok || !turnAvailable.ok)('demo connectivity in a real browser with a real coturn', () => {
  let browser: Browser
  let turn: TurnServer
  let demo: Awaited<ReturnType<typeof startDemoServer>>
  // Its own build directory: other e2e files may build at the same time.
  const staticRoot = fileURLToPath(new URL('../../test-output/client-build-turn', import.meta.url))

  beforeAll(async () => {
    await build({ configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)), logLevel: 'warn', build: { outDir: staticRoot, emptyOutDir: true } })
    turn = await startTurn({ secret: SECRET })
    demo = await startDemoServer({ port: 0, host: '127.0.0.1', staticRoot, turn: { urls: [turn.url], secret: SECRET }, bindAddress: '127.0.0.1' })
    browser = await launchBrowser()
  }, 90_000)
  afterAll(async () => {
    await browser?.close()
    await demo?.close()
    await turn?.stop()
  })

  it('two players in a room see each other\'s camera over relay-only peer connections through coturn', async () => {
    const pages = await Promise.all([browser.newPage(), browser.newPage()])
    const [ann, ben] = pages as [Page, Page]
    const errors: string[] = []
    for (const p of pages) {
      p.on('pageerror', (e) => errors.push(e.message))
      await p.addInitScript(RECORD_PEER_CONNECTIONS)
    }
    await signIn(ann, `${demo.url}/?media=relay`, 'Ann')
    await signIn(ben, `${demo.url}/?media=relay`, 'Ben')
    const allocationsBefore = turn.allocations()

    await ann.fill('#room-name', 'Relayed')
    await ann.click('#create-room button[type=submit]')
    await ann.waitForSelector('#room')
    await ben.click('#room-list li:has-text("Relayed") button.join')
    await ben.waitForSelector('#room')

    for (const p of pages)
      await p.waitForFunction(
        () => [...document.querySelectorAll<HTMLVideoElement>('#video-tiles video')].some((v) => v.dataset.peer !== 'self' && v.videoWidth > 0),
        null,
        { timeout: 30_000 },
      )

    for (const p of pages) {
      const pairs = await relayPairs(p)
      console.log(JSON.stringify({ case: 'demo-media-relay', page: p === ann ? 'ann' : 'ben', pairs }))
      const connected = pairs.filter((x) => x.state === 'connected')
      expect(connected.length).toBeGreaterThanOrEqual(1)
      for (const pair of connected) {
        expect(pair.local).toBe('relay')
        expect(pair.remote).toBe('relay')
        expect(pair.bytesReceived ?? 0).toBeGreaterThan(0)
      }
    }
    // Each page allocated on coturn for its mesh (the game's own connections are direct here).
    const allocations = turn.allocations() - allocationsBefore
    console.log(JSON.stringify({ case: 'demo-media-relay', coturnAllocations: allocations }))
    expect(allocations).toBeGreaterThanOrEqual(2)
    expect(errors).toEqual([])
    for (const p of pages) await p.close()
  }, 120_000)

  it('"Check connection" runs the doctor and shows its report in the page', async () => {
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(demo.url)
    await page.waitForSelector('#signin')
    await page.click('#check-connection')
    const summary = await page.waitForSelector('#doctor li.summary', { timeout: 30_000 })
    const text = (await summary.textContent()) ?? ''
    console.log(JSON.stringify({ case: 'demo-doctor', report: await page.textContent('#doctor') }))
    // Open loopback: UDP works, so WebRTC is what connecting would use; the minted TURN credentials work too.
    expect(text).toContain('Would use: webrtc')
    expect(await summary.getAttribute('data-transport')).toBe('webrtc')
    expect(text).toContain('UDP: reaches the server')
    expect(text).toContain('TURN: works')
    expect(text).toContain('WebSocket: works')
    expect(await page.$$('#doctor li[data-code]')).toHaveLength(0)
    // Asked again, the report is replaced, not stacked.
    await page.click('#check-connection')
    await page.waitForSelector('#doctor li.summary', { timeout: 30_000 })
    expect(await page.$$('#doctor')).toHaveLength(1)
    expect(errors).toEqual([])
    await page.close()
  }, 90_000)
})
