import type { NetRoomGame } from 'netplay-toolkit/server'
import { ARENA, GEMS, Kind, arenaLayout, sanitizeArenaInput, stepPlayer, touches, type ArenaEntity, type ArenaInput, type ArenaInputFields, type ArenaLayout } from '../../shared/demo/arena'

/** Gems take ids from here; players below. */
const GEM_ID = 1000

/** One room's world: the server owns it; NetRoom ticks it and snapshots it to every member. */
export class ArenaWorld implements NetRoomGame<ArenaInputFields, ArenaLayout> {
  readonly layout = arenaLayout
  private readonly players = new Map<number, ArenaEntity>()
  private readonly gems = new Map<number, ArenaEntity>()

  constructor(private readonly random: () => number = Math.random) {
    for (let i = 0; i < GEMS; i++) this.gems.set(GEM_ID + i, this.gem())
  }

  sanitize = (input: ArenaInput): ArenaInput | undefined => sanitizeArenaInput(input)

  addPlayer(id: number): void {
    this.players.set(id, { x: 2 + this.random() * (ARENA.width - 4), y: 2 + this.random() * (ARENA.height - 4), kind: Kind.Player, score: 0, color: id % 8 })
  }

  removePlayer(id: number): void {
    this.players.delete(id)
  }

  applyInput(id: number, input: ArenaInput, dtMs: number): void {
    const p = this.players.get(id)
    if (p) this.players.set(id, stepPlayer(p, input, dtMs))
  }

  /** Gems touched this tick score for the player and reappear elsewhere. */
  step(): void {
    for (const [pid, p] of this.players)
      for (const [gid, g] of this.gems)
        if (touches(p, g)) {
          this.players.set(pid, { ...p, score: Math.min(65535, p.score + 1) })
          this.gems.set(gid, this.gem())
        }
  }

  entities(): ReadonlyMap<number, ArenaEntity> {
    return new Map([...this.players, ...this.gems])
  }

  private gem(): ArenaEntity {
    return { x: 1 + this.random() * (ARENA.width - 2), y: 1 + this.random() * (ARENA.height - 2), kind: Kind.Gem, score: 0, color: 0 }
  }
}
