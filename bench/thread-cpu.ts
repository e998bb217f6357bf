/**
 * CPU time per thread of a process, from /proc (Linux): tells the main JS thread from
 * libdatachannel's and libuv's threads, which `--cpu-prof` does not see.
 */
import { readdirSync, readFileSync } from 'node:fs'

/** Thread id -> { name, CPU ms } (user + system). Empty where /proc is missing. */
export function threadCpu(pid: number): Map<number, { name: string; ms: number }> {
  // The main thread's id is the process id; it is listed as `<name> (main)` by formatThreadCpu.
  const out = new Map<number, { name: string; ms: number }>()
  let tids: string[]
  try {
    tids = readdirSync(`/proc/${pid}/task`)
  } catch {
    return out
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
      // The name is in parentheses and may hold spaces; the fields after it are space separated.
      const close = stat.lastIndexOf(')')
      const name = stat.slice(stat.indexOf('(') + 1, close)
      const fields = stat.slice(close + 2).split(' ')
      // utime and stime are fields 14 and 15 of stat (1-based), 12 and 13 after the name here.
      const ticks = Number(fields[11]) + Number(fields[12])
      out.set(Number(tid), { name: Number(tid) === pid ? `${name} (main)` : name, ms: (ticks * 1000) / 100 })
    } catch {
      // the thread ended meanwhile
    }
  }
  return out
}

/** CPU each thread used between two readings, grouped by thread name, largest first. */
export function formatThreadCpu(before: Map<number, { name: string; ms: number }>, after: Map<number, { name: string; ms: number }>): string {
  const byName = new Map<string, { ms: number; threads: number }>()
  let total = 0
  for (const [tid, a] of after) {
    const ms = a.ms - (before.get(tid)?.ms ?? 0)
    total += ms
    const key = a.name
    const e = byName.get(key) ?? { ms: 0, threads: 0 }
    e.ms += ms
    e.threads++
    byName.set(key, e)
  }
  const rows = [...byName].sort((x, y) => y[1].ms - x[1].ms).filter(([, e]) => e.ms > 0)
  return [`threads: ${total} ms CPU in total`, ...rows.map(([name, e]) => `  ${String(Math.round(e.ms)).padStart(6)} ms ${((e.ms / Math.max(1, total)) * 100).toFixed(1).padStart(5)}%  ${name} x${e.threads}`)].join('\n')
}
