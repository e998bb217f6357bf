/**
 * The receiving end of bench/state-under-bulk.ts in its own process: connects, timestamps every
 * `state` on arrival (wall clock shared with the sender's process) and watches its own event loop.
 * Told by IPC when a phase starts and ends; replies with the ages and its loop delay.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { GameClient, installNodeWebRTC } from '../client/node'
import { testSchema } from '../test/support/test-schema'

installNodeWebRTC({ bindAddress: '127.0.0.1' })
const wallNow = () => performance.timeOrigin + performance.now()

async function main(url: string): Promise<void> {
  const client = new GameClient(testSchema, { url })
  await client.connect()
  let ages: number[] = []
  let bulk = 0
  client.on('state', (s) => ages.push(wallNow() - s.sentAt))
  client.on('bulk', () => bulk++)
  const loop = monitorEventLoopDelay({ resolution: 5 })
  process.on('message', (m: { cmd: 'start' | 'stop' | 'exit' }) => {
    if (m.cmd === 'start') {
      ages = []
      bulk = 0
      loop.reset()
      loop.enable()
      process.send!({ type: 'started' })
    } else if (m.cmd === 'stop') {
      loop.disable()
      process.send!({ type: 'result', ages, bulk, loopP50: loop.percentile(50) / 1e6, loopP99: loop.percentile(99) / 1e6, loopMax: loop.max / 1e6 })
    } else {
      client.close()
      process.exit(0)
    }
  })
  process.send!({ type: 'ready' })
}

main(process.argv[2]!).catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
