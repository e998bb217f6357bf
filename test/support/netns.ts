/**
 * Real packet loss for tests and benchmarks: a network namespace of our own (only `lo`, up) with an
 * iptables rule dropping a random share of incoming packets. On loopback every packet crosses INPUT
 * once, so the rule hits both directions, TCP and SCTP-over-UDP alike. Needs root, `ip`, `iptables`.
 * Children run inside with `ip netns exec`, speak JSON lines on stdout and read commands on stdin.
 */
import { spawn, spawnSync } from 'node:child_process'
import { wrapChild, type NetnsChild } from './netns-child'
import { runOrSkip } from './skip-policy'

export type { NetnsChild } from './netns-child'

export type NetnsCheck = { ok: true } | { ok: false; why: string }

export interface Netns {
  readonly name: string
  /** Drops this share (0..1) of incoming packets; 0 removes the rule. */
  setDropRate(p: number): void
  /** Packets seen on INPUT since the last setDropRate: dropped by our rule, and let through. */
  counters(): { dropped: number; accepted: number }
  spawn(cmd: string, args: string[], env?: Record<string, string>): NetnsChild
  /** Runs a TypeScript file with tsx inside the namespace. */
  spawnTs(script: string, env?: Record<string, string>): NetnsChild
  /** Kills children and whatever else runs inside, then deletes the namespace. Safe to call twice. */
  destroy(): Promise<void>
}

const PREFIX = 'netplay-'
let counter = 0
let cached: NetnsCheck | undefined
const live = new Set<string>()

function run(cmd: string, args: string[]): { ok: boolean; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000 })
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`.trim() }
}

function must(cmd: string, args: string[]): void {
  const r = run(cmd, args)
  if (!r.ok) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.out}`)
}

/** Namespaces left by a process of ours that died before cleaning up. */
function removeStale(): void {
  const list = run('ip', ['netns', 'list'])
  for (const line of list.out.split('\n')) {
    const name = line.split(' ')[0] ?? ''
    const m = /^netplay-(\d+)-\d+$/.exec(name)
    if (!m || Number(m[1]) === process.pid) continue
    try {
      process.kill(Number(m[1]), 0)
    } catch {
      run('ip', ['netns', 'del', name])
    }
  }
}

/**
 * For tests: whether the namespace tests run here. Without root, `ip` or `iptables` they skip with
 * the reason printed, except with CI=true, where that is an error (as for the browser tests).
 */
export function netnsForTests(env: NodeJS.ProcessEnv = process.env, check: NetnsCheck = canUseNetns()): NetnsCheck {
  return runOrSkip('netns', check, env)
}

/** Whether this machine lets us make a namespace with a working drop rule (checked once). Benchmarks report a skip. */
export function canUseNetns(): NetnsCheck {
  if (cached) return cached
  cached = check()
  return cached
}

function check(): NetnsCheck {
  if (process.platform !== 'linux') return { ok: false, why: `network namespaces need Linux (this is ${process.platform})` }
  if (process.getuid?.() !== 0) return { ok: false, why: 'network namespaces and iptables need root' }
  if (!run('ip', ['-V']).ok) return { ok: false, why: '`ip` (iproute2) not found' }
  if (!run('iptables', ['-V']).ok) return { ok: false, why: '`iptables` not found' }
  removeStale()
  const name = `${PREFIX}${process.pid}-probe`
  try {
    const add = run('ip', ['netns', 'add', name])
    if (!add.ok) return { ok: false, why: `cannot create a network namespace: ${add.out}` }
    const rule = run('ip', ['netns', 'exec', name, 'iptables', '-A', 'INPUT', '-m', 'statistic', '--mode', 'random', '--probability', '0.5', '-j', 'DROP'])
    if (!rule.ok) return { ok: false, why: `iptables random-drop rule refused inside a namespace: ${rule.out}` }
    return { ok: true }
  } finally {
    run('ip', ['netns', 'del', name])
  }
}

export async function createNetns(): Promise<Netns> {
  const check = canUseNetns()
  if (!check.ok) throw new Error(check.why)
  const name = `${PREFIX}${process.pid}-${++counter}`
  must('ip', ['netns', 'add', name])
  live.add(name)
  const children = new Set<NetnsChild>()
  let destroyed = false
  try {
    must('ip', ['netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up'])
  } catch (err) {
    deleteNamespace(name)
    throw err
  }

  const ns: Netns = {
    name,
    setDropRate(p) {
      if (!(p >= 0 && p < 1)) throw new RangeError(`drop rate ${p} outside [0, 1)`)
      must('ip', ['netns', 'exec', name, 'iptables', '-F', 'INPUT'])
      must('ip', ['netns', 'exec', name, 'iptables', '-Z', 'INPUT'])
      if (p > 0) must('ip', ['netns', 'exec', name, 'iptables', '-A', 'INPUT', '-m', 'statistic', '--mode', 'random', '--probability', String(p), '-j', 'DROP'])
    },
    counters() {
      const out = run('ip', ['netns', 'exec', name, 'iptables', '-L', 'INPUT', '-v', '-x', '-n']).out
      const accepted = Number(/policy ACCEPT (\d+) packets/.exec(out)?.[1] ?? 0)
      const dropped = Number(/^\s*(\d+)\s+\d+\s+DROP\b/m.exec(out)?.[1] ?? 0)
      return { dropped, accepted }
    },
    spawn(cmd, args, env = {}) {
      if (destroyed) throw new Error(`namespace ${name} already destroyed`)
      // Only `lo` exists inside: WebRTC must bind to it (test/support/real-net.ts reads NETPLAY_BIND).
      const proc = spawn('ip', ['netns', 'exec', name, cmd, ...args], {
        env: { ...process.env, NETPLAY_BIND: '127.0.0.1', ...env },
        stdio: ['pipe', 'pipe', 'pipe'],
      })
      const child = wrapChild(proc)
      children.add(child)
      void child.exited.then(() => children.delete(child))
      return child
    },
    spawnTs(script, env) {
      return ns.spawn(process.execPath, ['--import', 'tsx', script], env)
    },
    async destroy() {
      if (destroyed) return
      destroyed = true
      await Promise.all([...children].map((c) => c.kill()))
      deleteNamespace(name)
    },
  }
  return ns
}

function deleteNamespace(name: string): void {
  // Anything still running inside (a grandchild we did not spawn directly) would keep it alive.
  for (const pid of run('ip', ['netns', 'pids', name]).out.split(/\s+/).filter(Boolean)) {
    try {
      process.kill(Number(pid), 'SIGKILL')
    } catch {
      // already gone
    }
  }
  run('ip', ['netns', 'del', name])
  live.delete(name)
}

// Last resort if a test run ends without reaching its afterAll (a crash, an uncaught error).
process.once('exit', () => {
  for (const name of [...live]) deleteNamespace(name)
})
