/**
 * The children's side of the protocol test/support/netns-child.ts speaks: JSON lines on stdout, JSON
 * commands on stdin. Imports nothing that manages namespaces.
 */
import { createInterface } from 'node:readline'

/** One JSON object from a line; undefined for anything else (a child's plain log line). */
export function parseObject(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined
  try {
    const v: unknown = JSON.parse(line)
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** For children: one JSON line on stdout. */
export function emit(message: { type: string } & Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(message)}\n`)
}

/**
 * For children: JSON commands from stdin, one per line. `onEnd` runs when stdin closes (the parent
 * went away): a child must then exit rather than linger.
 */
export function onCommand(handler: (cmd: Record<string, unknown>) => void, onEnd: () => void): void {
  const rl = createInterface({ input: process.stdin })
  rl.on('line', (line) => {
    const msg = parseObject(line)
    if (msg) handler(msg)
  })
  rl.on('close', onEnd)
}

/**
 * For children: runs `run` commands one at a time and emits each result (or an `error` line);
 * `exit` or the parent going away (stdin closed) calls `shutdown` with exit code 0 or 1.
 */
export function serveRuns(run: (cmd: Record<string, unknown>) => Promise<{ type: string } & Record<string, unknown>>, shutdown: (code: number) => Promise<unknown>): void {
  let queue = Promise.resolve()
  onCommand(
    (cmd) => {
      queue = queue.then(async () => {
        if (cmd.cmd === 'exit') return void (await shutdown(0))
        if (cmd.cmd !== 'run') return
        try {
          emit(await run(cmd))
        } catch (err) {
          emit({ type: 'error', message: String(err instanceof Error ? err.stack : err) })
        }
      })
    },
    () => void shutdown(1),
  )
}
