/**
 * One loopback source address per bot. Servers limit new connections per client address (the demo:
 * 20 at once, then 1 a second), so a hundred bots from 127.0.0.1 look like one abusive host; real
 * players each come from their own. All of 127.0.0.0/8 reaches a loopback server, so each bot sends
 * its signalling requests from 127.1.x.y. Only for loopback targets: elsewhere bots share the
 * machine's address and the server's per-address limits apply (docs/bots.md).
 */
import { AsyncLocalStorage } from 'node:async_hooks'

type Fetch = typeof globalThis.fetch
interface Dispatcher {
  close(): Promise<void>
}
type AgentClass = new (options: { localAddress: string }) => Dispatcher

const current = new AsyncLocalStorage<Dispatcher>()
let installed = false

export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host)
}

/** Bot `index` (0..62,499): a distinct address in 127.1.0.1 .. 127.1.249.250. */
export function sourceAddressOf(index: number): string {
  return `127.1.${Math.floor(index / 250) % 250}.${(index % 250) + 1}`
}

/**
 * Makes `fetch` (which geckos' client uses for signalling and candidate polling) honour the address
 * of the bot whose code is running: `run` and everything it schedules (async context) use `address`.
 */
export async function sourceAddress(address: string): Promise<{ run<T>(fn: () => Promise<T>): Promise<T>; release(): void }> {
  const Agent = await agentClass()
  install()
  const agent = new Agent({ localAddress: address })
  return { run: (fn) => current.run(agent, fn), release: () => void agent.close().catch(() => undefined) }
}

function install(): void {
  if (installed) return
  installed = true
  const plain: Fetch = globalThis.fetch
  globalThis.fetch = ((input: Parameters<Fetch>[0], init?: Parameters<Fetch>[1]) => {
    const dispatcher = current.getStore()
    return plain(input, dispatcher ? ({ ...init, dispatcher } as Parameters<Fetch>[1]) : init)
  }) as Fetch
}

/**
 * Node's fetch is undici; its Agent class is not exported, but the global dispatcher it creates on
 * first use is one (shared under undici's documented global symbol). Its constructor takes `localAddress`.
 */
async function agentClass(): Promise<AgentClass> {
  const key = Symbol.for('undici.globalDispatcher.1')
  const globals = globalThis as unknown as Record<symbol, { constructor: AgentClass } | undefined>
  if (!globals[key]) await globalThis.fetch('http://127.0.0.1:9/').catch(() => undefined)
  const agent = globals[key]
  if (!agent) throw new Error("this Node's fetch has no undici global dispatcher: run with one source address (--one-address)")
  return agent.constructor
}
