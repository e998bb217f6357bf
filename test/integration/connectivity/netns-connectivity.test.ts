/**
 * Real networks that block things, in a network namespace of our own (root, iproute2, iptables):
 * all UDP dropped (the client falls back to the WebSocket and still plays, chats and sends a file),
 * and direct UDP between client and server dropped with only coturn's relay ports let through (a
 * relay-only client connects through coturn, which proves the data is relayed). The update age
 * figures go to docs/connectivity.md.
 */
import { spawnSync } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import { canUseNetns, createNetns, type Netns } from '../../support/netns'
import { canRunTurn } from '../../support/turn'

const netnsCheck = canUseNetns()
const turnCheck = canRunTurn()
for (const check of [netnsCheck, turnCheck]) {
  if (check.ok) continue
  if (process.env.CI === 'true') throw new Error(`CI=true but ${check.why}`)
  console.warn(`skipping connectivity netns tests: ${check.why}`)
}
const CHILD = new URL('./netns-game-child.ts', import.meta.url).pathname

interface Result {
  type: 'result'
  connectMs: number
  transport: string
  transportReason: string
  serverTransport: string
  snapshotsMovedPlayer: boolean
  chatsInOrder: boolean
  file: { bytes: number; sum: number } | undefined
  fileSum: number
  probesSent: number
  probesReceived: number
  ageP50: number
  ageP99: number
  serverPair: { local: string; remote: string; localPort: number; remotePort: number } | null
  turnAllocations: number
}

function iptables(ns: Netns, args: string[]): void {
  const r = spawnSync('ip', ['netns', 'exec', ns.name, 'iptables', ...args], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`iptables ${args.join(' ')}: ${r.stderr}`)
}

async function run(ns: Netns, env: Record<string, string>): Promise<Result> {
  const child = ns.spawnTs(CHILD, env)
  try {
    return await child.readJson<Result>('result', 90_000)
  } finally {
    await child.kill()
  }
}

const randomPort = () => 30_000 + Math.floor(Math.random() * 20_000)

describe.runIf(netnsCheck.ok && turnCheck.ok)('connectivity in a network namespace', () => {
  let ns: Netns | undefined
  afterEach(async () => {
    await ns?.destroy()
    ns = undefined
  })

  it('open network: auto picks WebRTC on the single UDP port', async () => {
    ns = await createNetns()
    const udpPort = randomPort()
    // WebRTC gets 15 s before auto falls back: on an open network it must win however long a starved
    // machine makes the handshake (connectMs: ~0.4 s quiet, 0.7 s at load 18), while a WebRTC that
    // cannot connect at all still ends up on the WebSocket and fails this test.
    const r = await run(ns, { MODE: 'auto', UDP_PORT: String(udpPort), FALLBACK_MS: '15000' })
    console.log('[connectivity] direct, single UDP port', JSON.stringify(r))
    expect(r.transport, r.transportReason).toBe('webrtc')
    expect(r.serverPair?.localPort).toBe(udpPort)
    expect(r.snapshotsMovedPlayer && r.chatsInOrder).toBe(true)
    expect(r.file).toEqual({ bytes: 1 << 20, sum: r.fileSum })
  }, 120_000)

  it('all UDP dropped: the client falls back to the WebSocket and plays, chats and sends a file', async () => {
    ns = await createNetns()
    iptables(ns, ['-A', 'INPUT', '-p', 'udp', '-j', 'DROP'])
    const r = await run(ns, { MODE: 'auto', UDP_PORT: String(randomPort()) })
    console.log('[connectivity] UDP blocked, WebSocket fallback', JSON.stringify(r))
    expect(r).toMatchObject({ transport: 'websocket', transportReason: 'webrtc-timeout', serverTransport: 'websocket' })
    expect(r.snapshotsMovedPlayer).toBe(true)
    expect(r.chatsInOrder).toBe(true)
    expect(r.file).toEqual({ bytes: 1 << 20, sum: r.fileSum })
    expect(r.probesReceived).toBeGreaterThan(r.probesSent / 2)
  }, 120_000)

  it('the doctor, with all UDP dropped, names the blocked UDP and recommends the fallback', async () => {
    ns = await createNetns()
    iptables(ns, ['-A', 'INPUT', '-p', 'udp', '-j', 'DROP'])
    const child = ns.spawnTs(CHILD, { MODE: 'doctor', UDP_PORT: String(randomPort()) })
    try {
      const report = await child.readJson<{ type: 'result'; udp: boolean; websocket: boolean; transport: string; problems: { code: string; message: string }[] }>('result', 90_000)
      console.log('[connectivity] doctor, UDP blocked', JSON.stringify(report))
      expect(report).toMatchObject({ udp: false, websocket: true, transport: 'websocket' })
      expect(report.problems.map((p) => p.code)).toEqual(['udp-blocked', 'no-turn'])
      expect(report.problems[0]!.message).toMatch(/firewall/)
    } finally {
      await child.kill()
    }
  }, 120_000)

  it('direct UDP to the server dropped, only TURN relay ports allowed: a relay-only client connects through coturn', async () => {
    ns = await createNetns()
    const udpPort = randomPort()
    const turnPort = randomPort()
    const relays = `${turnPort + 1}:${turnPort + 200}`
    // The server's port talks only to coturn's relay ports: anything direct is dropped.
    iptables(ns, ['-A', 'INPUT', '-p', 'udp', '--dport', String(udpPort), '!', '--sport', relays, '-j', 'DROP'])
    iptables(ns, ['-A', 'INPUT', '-p', 'udp', '--sport', String(udpPort), '!', '--dport', relays, '-j', 'DROP'])
    const r = await run(ns, { MODE: 'relay', UDP_PORT: String(udpPort), TURN_PORT: String(turnPort) })
    console.log('[connectivity] TURN relay', JSON.stringify(r))
    expect(r.transport).toBe('webrtc')
    expect(r.turnAllocations).toBeGreaterThan(0)
    // The server's peer is the client's relay address on coturn.
    expect(r.serverPair?.remotePort).toBeGreaterThan(turnPort)
    expect(r.serverPair?.remotePort).toBeLessThanOrEqual(turnPort + 200)
    expect(r.snapshotsMovedPlayer && r.chatsInOrder).toBe(true)
    expect(r.file).toEqual({ bytes: 1 << 20, sum: r.fileSum })
  }, 120_000)
})
