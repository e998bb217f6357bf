/**
 * Two network namespaces joined by a veth pair, like two machines on one LAN: a server side and a
 * client side, each with one address. `blackout(true)` drops every packet between them (at the INPUT
 * of both ends: whatever the client sends never reaches the server, whatever is sent to it never
 * reaches it; TCP, UDP, ICE, DTLS, SCTP alike); `blackout(false)` heals. Needs root, `ip`, `iptables`.
 * Children run inside with NETPLAY_BIND set to their side's address.
 */
import { spawnSync } from 'node:child_process'
import { createNetns, type Netns, type NetnsChild } from './netns'

export interface NetnsSide {
  readonly ns: Netns
  readonly address: string
  spawnTs(script: string, env?: Record<string, string>): NetnsChild
}

export interface NetnsPair {
  readonly server: NetnsSide
  readonly client: NetnsSide
  /** Drop everything between the two sides (true) or nothing (false). */
  blackout(on: boolean): void
  /** Packets the blackout rules dropped so far, at the server's and the client's side. */
  dropped(): { atServer: number; atClient: number }
  destroy(): Promise<void>
}

let pairs = 0

function must(args: string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf8', timeout: 10_000 })
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')} failed: ${r.stderr}${r.stdout}`)
}

function iptables(ns: string, args: string[]): string {
  const r = spawnSync('ip', ['netns', 'exec', ns, 'iptables', ...args], { encoding: 'utf8', timeout: 10_000 })
  if (r.status !== 0) throw new Error(`iptables ${args.join(' ')} in ${ns} failed: ${r.stderr}`)
  return r.stdout
}

export async function createNetnsPair(): Promise<NetnsPair> {
  const n = ++pairs
  const serverNs = await createNetns()
  let clientNs: Netns | undefined
  try {
    clientNs = await createNetns()
    // Interface names are at most 15 characters and global while created: make them unique per process.
    const tag = `${process.pid % 100_000}${n}`
    const [a, b] = [`nps${tag}`, `npc${tag}`]
    const subnet = `10.${200 + (process.pid % 50)}.${n % 250}`
    const addresses = { server: `${subnet}.1`, client: `${subnet}.2` }
    must(['-n', serverNs.name, 'link', 'add', a, 'type', 'veth', 'peer', 'name', b, 'netns', clientNs.name])
    must(['-n', serverNs.name, 'addr', 'add', `${addresses.server}/24`, 'dev', a])
    must(['-n', clientNs.name, 'addr', 'add', `${addresses.client}/24`, 'dev', b])
    must(['-n', serverNs.name, 'link', 'set', a, 'up'])
    must(['-n', clientNs.name, 'link', 'set', b, 'up'])
    const side = (ns: Netns, address: string): NetnsSide => ({
      ns,
      address,
      spawnTs: (script, env = {}) => ns.spawnTs(script, { NETPLAY_BIND: address, ...env }),
    })
    const rule = (from: string) => ['INPUT', '-s', from, '-j', 'DROP']
    const count = (ns: string) => Number(/^\s*(\d+)\s+\d+\s+DROP\b/m.exec(iptables(ns, ['-L', 'INPUT', '-v', '-x', '-n']))?.[1] ?? 0)
    const c = clientNs
    let on = false
    return {
      server: side(serverNs, addresses.server),
      client: side(c, addresses.client),
      blackout(want) {
        if (want === on) return
        iptables(serverNs.name, [want ? '-A' : '-D', ...rule(addresses.client)])
        iptables(c.name, [want ? '-A' : '-D', ...rule(addresses.server)])
        on = want
      },
      dropped() {
        if (!on) return { atServer: 0, atClient: 0 }
        return { atServer: count(serverNs.name), atClient: count(c.name) }
      },
      async destroy() {
        await Promise.all([serverNs.destroy(), c.destroy()]) // the veth pair goes with its namespaces
      },
    }
  } catch (err) {
    await serverNs.destroy()
    await clientNs?.destroy()
    throw err
  }
}

/**
 * A test's teardown: heals the pair, asks each child to exit and waits up to `graceMs` for them, then
 * deletes both namespaces (which kills whatever still runs inside).
 */
export async function endPair(pair: NetnsPair | undefined, children: readonly NetnsChild[], graceMs: number): Promise<void> {
  pair?.blackout(false)
  for (const c of children) c.send({ cmd: 'exit' })
  await Promise.race([Promise.all(children.map((c) => c.exited)), new Promise((r) => setTimeout(r, graceMs))])
  await pair?.destroy()
}
