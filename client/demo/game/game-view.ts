import { NetClient, type GameClient, type LobbyClient } from 'netplay-toolkit/client'
import { arenaLayout, arenaNetMessages, Kind, sanitizeArenaInput, stepPlayer, type ArenaEntity, type ArenaInputFields, type ArenaLayout } from '../../../shared/demo/arena'
import type { DemoSchema } from '../../../shared/demo/demo-schema'
import type { NetHud } from '../overlay/net-hud'
import { el } from '../ui/dom'
import { ArenaView } from './arena-view'
import { PlayerInput } from './input'

/**
 * The room's game: own player predicted, others interpolated (NetClient), drawn by Pixi, with a
 * score board. One per connection; it idles while we are in no room.
 */
export class GameView {
  readonly board = el('ol', { class: 'scores', id: 'scoreboard' })
  private readonly view = new ArenaView()
  private readonly net: NetClient<DemoSchema, ArenaInputFields, ArenaLayout>
  private readonly input: PlayerInput
  private readonly offs: (() => void)[] = []
  private lastBoard = ''

  constructor(
    private readonly stage: HTMLElement,
    client: GameClient<DemoSchema>,
    private readonly lobby: LobbyClient,
    private readonly hud: NetHud,
    /** Entity id to lobby peer id, as the server's latest `arenaRoster` said. */
    private readonly roster: () => ReadonlyMap<number, string>,
  ) {
    this.input = new PlayerInput(stage, () => {
      const self = this.net.render().self
      return self && this.view.toScreen(self)
    })
    this.net = new NetClient(client, {
      messages: arenaNetMessages,
      game: { layout: arenaLayout, sampleInput: () => this.input.sample(), sanitize: sanitizeArenaInput, simulate: stepPlayer },
    })
  }

  async start(): Promise<void> {
    await this.view.init(this.stage)
    this.view.app.ticker.add(() => this.frame())
  }

  /** Test hook: the own entity (predicted) and every player as drawn. */
  debug(): { entityId: number | undefined; self: ArenaEntity | undefined; players: Record<number, { x: number; y: number }> } {
    const f = this.net.render()
    const players: Record<number, { x: number; y: number }> = {}
    for (const [id, e] of f.others) if (e.kind === Kind.Player) players[id] = { x: e.x, y: e.y }
    return { entityId: this.net.entityId, self: f.self, players }
  }

  dispose(): void {
    for (const off of this.offs) off()
    this.net.stop()
    this.input.dispose()
    this.view.destroy()
  }

  private frame(): void {
    const f = this.net.render()
    const all = new Map(f.others)
    const selfId = this.net.entityId
    if (f.self && selfId !== undefined) all.set(selfId, f.self)
    const nameOf = (id: number) => this.lobby.peers.get(this.roster().get(id) ?? '')?.name ?? '…'
    this.view.draw(all, selfId, nameOf)
    const s = this.net.stats()
    this.hud.extras = { tickRate: 30, snapshotsPerSec: s.snapshots.perSec }
    const players = [...all].filter(([, e]) => e.kind === Kind.Player).sort((a, b) => b[1].score - a[1].score)
    const text = players.map(([id, e]) => `${nameOf(id)}:${e.score}`).join(',')
    if (text !== this.lastBoard) {
      this.lastBoard = text
      this.board.replaceChildren(...players.map(([id, e]) => el('li', { text: `${nameOf(id)} — ${e.score}`, class: id === selfId ? 'me' : '' })))
    }
  }
}
