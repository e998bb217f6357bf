/** What a playing bot does beside moving: room chat at a steady rate and small files to its room. */
import { randomBytes } from 'node:crypto'
import { FileClient } from '../../client/files/file-client'
import type { LobbyClient } from '../../client/lobby/index'
import type { GameClient } from '../../client/transport/game-client'
import type { DemoSchema } from '../../shared/demo/demo-schema'
import type { BotsMeter } from './meter'

/** Each bot offers one file of this size to its room every FILE_EVERY_MS (with a random phase). */
const FILE_BYTES = 4096
const FILE_EVERY_MS = 5000

export class BotExtras {
  private readonly timers: ReturnType<typeof setTimeout>[] = []
  private readonly files: FileClient<DemoSchema> | undefined
  private readonly offs: (() => void)[] = []
  private line = 0
  /** After stop, requests still in flight fail because we are leaving: not an error to report. */
  private stopped = false

  constructor(
    client: GameClient<DemoSchema>,
    private readonly lobby: LobbyClient<DemoSchema>,
    private readonly meter: BotsMeter,
    options: { chatPerSec: number; files: boolean },
  ) {
    const selfId = lobby.self?.id
    this.offs.push(
      lobby.events.on('chat', (m) => {
        if (m.replay) return
        meter.chatReceived++
        if (m.from === selfId) meter.chatEchoed++
      }),
    )
    if (options.chatPerSec > 0) this.every(1000 / options.chatPerSec, () => this.say())
    if (options.files) {
      const files = (this.files = new FileClient(client))
      this.offs.push(
        files.events.on('offer', (offer) => offer.accept()),
        files.events.on('complete', () => meter.filesReceived++),
        files.events.on('sent', () => meter.filesSent++),
        files.events.on('cancelled', (c) => c.reason !== 'cancelled' && meter.error(`file ${c.direction}: ${c.reason}`)),
        files.events.on('error', () => meter.error('file: error')),
      )
      this.every(FILE_EVERY_MS, () => files.send({ name: `bot-${selfId}.bin`, bytes: randomBytes(FILE_BYTES), mime: 'application/octet-stream' }, 'room'))
    }
  }

  stop(): void {
    this.stopped = true
    for (const t of this.timers) clearTimeout(t)
    for (const off of this.offs) off()
    this.files?.dispose()
  }

  private say(): void {
    this.meter.chatSent++
    this.lobby.say(`line ${++this.line} from ${this.lobby.self?.name ?? '?'}`).then(
      () => this.meter.chatAcked++,
      (err: unknown) => !this.stopped && this.meter.error(`chat: ${(err as { code?: string }).code ?? String(err)}`),
    )
  }

  /** Calls `fn` every `ms`, first after a random part of `ms` so bots do not act in lockstep. */
  private every(ms: number, fn: () => void): void {
    const run = (delay: number) => {
      const t = setTimeout(() => {
        this.timers.splice(this.timers.indexOf(t), 1)
        fn()
        run(ms)
      }, delay)
      this.timers.push(t)
    }
    run(Math.random() * ms)
  }
}
