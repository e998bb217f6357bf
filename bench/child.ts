/** Entry point of an isolated child (see isolated.ts): sets up, answers requests, exits when told. */
import { openConnect, type ConnectSession } from './connect'
import type { ChildMessage, ChildRequest, ChildSetup } from './isolated'
import { setUpNodeWebRTC } from './net'
import { baselineEchoes, geckosEchoes, openRtt, ourEchoes, type RttSession } from './rtt'
import { runThroughput } from './throughput'

const groups = { baseline: baselineEchoes, geckos: geckosEchoes, ours: ourEchoes }
const send = (m: ChildMessage, then: () => void = () => undefined) => void process.send!(m, undefined, {}, then)
const log = (line: string) => send({ type: 'log', line })

async function main(setup: ChildSetup): Promise<void> {
  setUpNodeWebRTC()
  const session: RttSession | undefined = setup.kind === 'rtt' ? await openRtt(groups[setup.group]) : undefined
  const connect: ConnectSession | undefined = setup.kind === 'connect' ? await openConnect(setup.what) : undefined
  const handle = async (req: ChildRequest): Promise<unknown> => {
    switch (req.cmd) {
      case 'round': {
        const r = await session!.round(req.key, req.warmup, req.count)
        if (r.lost > 0) log(`  rtt.${req.key}: ${r.lost} probe(s) lost in a round`)
        return r.samples
      }
      case 'run':
        if (connect) return connect.once()
        if (setup.kind === 'throughput') return runThroughput()
        throw new Error(`nothing to run for ${setup.kind}`)
      case 'exit':
        await session?.close()
        await connect?.close()
        // WebRTC's native threads and geckos' candidate polling timers would keep the process alive.
        return process.exit(0)
    }
  }
  process.on('message', (req: ChildRequest) => {
    handle(req).then(
      (result) => send({ type: 'reply', ok: true, result }),
      (err: unknown) => send({ type: 'reply', ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
    )
  })
  send({ type: 'ready' })
}

// geckos' client fires candidate requests it never awaits; one failing after a close is not our error.
process.on('unhandledRejection', (err) => log(`  warning (child): unhandled rejection: ${String(err)}`))
main(JSON.parse(process.argv[2] ?? '{}') as ChildSetup).catch((err: unknown) => {
  send({ type: 'reply', ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }, () => process.exit(1))
})
