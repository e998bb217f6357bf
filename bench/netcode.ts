/**
 * The netcode's numbers: snapshot bytes (ours against @colyseus/schema on the same states), bytes
 * per second per client at 30 Hz, and server time per tick with 1, 10 and 50 real clients.
 * `runNetcodeBench()` is called by bench/run.ts; `npx tsx bench/netcode-only.ts` prints it alone.
 */
import { measureBytes } from './netcode-bytes'
import { measureTickLoad } from './netcode-load'

export async function runNetcodeBench(options: { log?: (line: string) => void; clients?: readonly number[] } = {}): Promise<Record<string, unknown>> {
  const bytes = measureBytes()
  const load = await measureTickLoad(options.clients ?? [1, 10, 50], options.log ?? ((line) => console.log(line)))
  return { ...bytes, ...load }
}
