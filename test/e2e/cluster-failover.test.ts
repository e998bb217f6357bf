/**
 * A node dies under a browser tab: two demo node processes on one Redis, Ann's page served by and
 * signed in on node 1, Ben's on node 2. Node 1 is SIGKILLed. Ann's tab must notice that its server is
 * gone (a browser's fetch says only "Failed to fetch": the refusal is told from a cut by failing at
 * once), give up its transport session, and resume its lobby identity on node 2 (the node list its
 * server sent): same peer id and name, Ben sees it back, and they chat.
 */
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freeTcpPort } from '../../server/cluster/local-redis'
import { startNode, type Node } from '../integration/cluster/cluster-net'
import { browserAvailability, launchBrowser } from '../support/browser'
import { canRunRedis, startLocalRedis, type LocalRedis } from '../support/redis'

const available = browserAvailability()
const redis = canRunRedis()
/** Generous for a loaded 2-core machine; the time taken is reported. */
const RESUME_BOUND_MS = 30_000

async function signIn(page: Page, url: string, name: string): Promise<void> {
  await page.goto(url)
  await page.fill('#signin-name', name)
  await page.click('#signin button[type=submit]')
  await page.waitForSelector('#lobby', { timeout: 15_000 })
}

/** The peer id `viewer` shows for the peer called `name`. */
const peerIdOf = (viewer: Page, name: string) => viewer.getAttribute(`#peer-list li:has(b:text-is("${name}"))`, 'data-peer', { timeout: 15_000 })

async function sayDirect(from: Page, toId: string, text: string, to: Page): Promise<void> {
  await from.selectOption('#chat-target', toId, { timeout: 10_000 })
  await from.fill('#chat-input', text)
  await from.press('#chat-input', 'Enter')
  await to.waitForSelector(`#chat-log li:has-text("${text}")`, { timeout: 10_000 })
}

describe.skipIf(!available.ok || !redis.ok)('a node killed under a browser tab', () => {
  let browser: Browser
  let store: LocalRedis
  const nodes: Node[] = []
  const staticRoot = fileURLToPath(new URL('../../test-output/client-build-failover', import.meta.url))

  beforeAll(async () => {
    await build({ configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)), logLevel: 'warn', build: { outDir: staticRoot, emptyOutDir: true } })
    store = await startLocalRedis()
    const ports = [await freeTcpPort(), await freeTcpPort()]
    // Every node's page may connect to every node (CSP connect-src).
    const env = { STATIC_ROOT: staticRoot, CLUSTER_ORIGINS: ports.map((p) => `http://127.0.0.1:${p}`).join(' ') }
    nodes.push(...(await Promise.all(ports.map((port, i) => startNode(store.url, `web${i + 1}`, { port, env })))))
    browser = await launchBrowser()
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await Promise.all(nodes.map((n) => n.kill('SIGTERM')))
    await store?.stop()
  })

  it("Ann's tab resumes on the other node: same peer id and name, Ben sees her back, they chat", async () => {
    const [ann, ben] = [await browser.newPage(), await browser.newPage()]
    const errors: string[] = []
    for (const p of [ann, ben]) p.on('pageerror', (e) => errors.push(e.message))
    await signIn(ann, nodes[0]!.url, 'Ann')
    await signIn(ben, nodes[1]!.url, 'Ben')
    const annId = await peerIdOf(ben, 'Ann')
    const benId = await peerIdOf(ann, 'Ben')
    expect(annId && benId).toBeTruthy()
    expect(await peerIdOf(ann, 'Ann')).toBe(annId)

    const killedAt = Date.now()
    await nodes[0]!.kill('SIGKILL')
    await ann.waitForFunction(() => /signed in as Ann \(resumed\)/.test(document.querySelector('#status')?.textContent ?? ''), null, { timeout: RESUME_BOUND_MS, polling: 100 })
    const resumedAfter = Date.now() - killedAt
    // Same identity, now on node 2; Ben sees her online again (after the dead node was dropped, or at once).
    expect(await peerIdOf(ann, 'Ann')).toBe(annId)
    await ben.waitForSelector(`#peer-list li[data-peer="${annId}"]:has-text("online")`, { timeout: 15_000 })
    await ann.waitForSelector(`#peer-list li[data-peer="${benId}"]`, { timeout: 15_000 })
    const seenAfter = Date.now() - killedAt

    await sayDirect(ann, benId!, 'back from the dead node', ben)
    await sayDirect(ben, annId!, 'welcome back Ann', ann)
    expect(errors).toEqual([])
    console.log(`cluster failover in the browser: Ann resumed on node 2 ${resumedAfter} ms after node 1 was SIGKILLed; seen online by Ben after ${seenAfter} ms`)
  }, 120_000)
})
