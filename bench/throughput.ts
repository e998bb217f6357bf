/**
 * Reliable-channel throughput: 10 MiB as 160 messages of 64 KiB, server to client (the usual
 * direction for bulk data such as a map download), with backpressure the way an application should
 * apply it: when send() returns false, await drained().
 */
import { closeOurs, connectOurs, startOurServer, type OurPair } from './net'
import { withTimeout, type BenchResults } from './stats'

const MESSAGE_BYTES = 64 * 1024
const MESSAGES = 160
/** Lets SCTP open its congestion window before the timed transfer. */
const WARMUP_MESSAGES = 16

async function transfer(pair: OurPair, firstSeq: number, count: number, data: Uint8Array): Promise<number> {
  const { client, conn } = pair
  let expected = firstSeq
  let bytes = 0
  const done = new Promise<void>((resolve, reject) => {
    const off = client.on('bulk', (d) => {
      if (d.seq !== expected) return reject(new Error(`bulk: got seq ${d.seq}, expected ${expected}`))
      expected++
      bytes += d.data.byteLength
      if (expected === firstSeq + count) {
        off()
        resolve()
      }
    })
  })
  const start = performance.now()
  for (let seq = firstSeq; seq < firstSeq + count; seq++) if (!conn.send('bulk', { seq, data })) await conn.drained()
  await withTimeout(done, 60_000, 'bulk transfer')
  const seconds = (performance.now() - start) / 1000
  if (bytes !== count * data.byteLength) throw new Error(`bulk: ${bytes} bytes arrived of ${count * data.byteLength}`)
  return bytes / 1e6 / seconds
}

export async function runThroughput(): Promise<BenchResults['reliable']> {
  const server = await startOurServer()
  let pair: OurPair | undefined
  try {
    pair = await connectOurs(server)
    const data = new Uint8Array(MESSAGE_BYTES).map(() => (Math.random() * 256) | 0)
    await transfer(pair, 0, WARMUP_MESSAGES, data)
    const mbPerSec = await transfer(pair, WARMUP_MESSAGES, MESSAGES, data)
    return { mbPerSec: Math.round(mbPerSec * 10) / 10 }
  } finally {
    if (pair) await closeOurs(pair.client)
    await server.close()
  }
}
