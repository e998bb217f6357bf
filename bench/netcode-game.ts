/** The load bench's game: the bytes bench's 100 walking entities plus one player per client. */
import type { NetClientGame } from '../client/netcode/index'
import type { NetRoomGame } from '../server/netcode/index'
import { sanitizeMoveInput, simulate } from '../shared/netcode/movement'
import { netcodeMessages, type NetInput } from '../shared/netcode/net-messages'
import { defineSchema, t } from '../shared/schema/index'
import { advance, benchLayout, makeWorld, type BenchEntity } from './netcode-bytes'

const inputFields = { moveX: t.quantized({ min: -1, max: 1, step: 0.01 }), moveY: t.quantized({ min: -1, max: 1, step: 0.01 }) }
export type BenchInputFields = typeof inputFields
type Input = NetInput<BenchInputFields>
export const benchNetMessages = netcodeMessages({ input: inputFields })
export const benchNetSchema = defineSchema({ ...benchNetMessages })
export type BenchNetSchema = typeof benchNetSchema

function move(e: BenchEntity, input: Input, dtMs: number): BenchEntity {
  const m = simulate(e, input, dtMs)
  return m === e ? e : { ...e, x: Math.min(1000, Math.max(0, m.x)), y: Math.min(1000, Math.max(0, m.y)) }
}

export class BenchWorld implements NetRoomGame<BenchInputFields, typeof benchLayout> {
  readonly layout = benchLayout
  private npcs = makeWorld(7)
  private readonly players = new Map<number, BenchEntity>()
  sanitize = (i: Input): Input | undefined => sanitizeMoveInput(i)

  addPlayer(id: number): void {
    this.players.set(id, { x: 500, y: 500, angle: 0, vx: 0, vy: 0, hp: 100, flags: 0 })
  }

  removePlayer(id: number): void {
    this.players.delete(id)
  }

  applyInput(id: number, input: Input, dtMs: number): void {
    const p = this.players.get(id)
    if (p) this.players.set(id, move(p, input, dtMs))
  }

  step(): void {
    // Everyone walks; bounce off the edges so the scene keeps moving for as long as the bench runs.
    const next = advance(this.npcs, this.npcs.size)
    for (const [id, e] of next) if (e.x < 10 || e.x > 990 || e.y < 10 || e.y > 990) next.set(id, { ...e, vx: e.x < 10 || e.x > 990 ? -e.vx : e.vx, vy: e.y < 10 || e.y > 990 ? -e.vy : e.vy })
    this.npcs = next
  }

  entities(): ReadonlyMap<number, BenchEntity> {
    const out = new Map(this.npcs)
    for (const [id, p] of this.players) out.set(id, p)
    return out
  }
}

/** A bot: steers in a new random direction every second. */
export function botGame(): NetClientGame<BenchInputFields, typeof benchLayout> {
  let dir = { moveX: 0, moveY: 0 }
  let n = 0
  return {
    layout: benchLayout,
    sampleInput() {
      if (n++ % 60 === 0) {
        const a = Math.random() * 2 * Math.PI
        dir = { moveX: Math.cos(a), moveY: Math.sin(a) }
      }
      return dir
    },
    sanitize: sanitizeMoveInput,
    simulate: move,
  }
}
