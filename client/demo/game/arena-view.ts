import { Application, Container, Graphics, Text } from 'pixi.js'
import { ARENA, GEM_RADIUS, Kind, PLAYER_RADIUS, type ArenaEntity } from '../../../shared/demo/arena'

const COLORS = [0x58a6ff, 0xf778ba, 0x3fb950, 0xd29922, 0xa371f7, 0xff7b72, 0x39c5cf, 0xe6edf3]

/** Draws the arena with Pixi: gems, players (names as Pixi text, never HTML), the own player outlined. */
export class ArenaView {
  readonly app = new Application()
  private readonly world = new Container()
  private readonly sprites = new Map<number, { g: Graphics; label?: Text }>()
  private scale = 30

  async init(parent: HTMLElement): Promise<void> {
    await this.app.init({ background: 0x0d1117, antialias: true, resizeTo: parent, preference: 'webgl' })
    this.app.canvas.id = 'arena-canvas'
    this.app.canvas.tabIndex = 0 // focusable, so keys go to the game rather than the chat box
    parent.append(this.app.canvas)
    const floor = new Graphics()
    for (let x = 0; x <= ARENA.width; x += 2) floor.moveTo(x, 0).lineTo(x, ARENA.height)
    for (let y = 0; y <= ARENA.height; y += 2) floor.moveTo(0, y).lineTo(ARENA.width, y)
    floor.stroke({ width: 0.02, color: 0x30363d })
    floor.rect(0, 0, ARENA.width, ARENA.height).stroke({ width: 0.08, color: 0x8b949e })
    this.world.addChild(floor)
    this.app.stage.addChild(this.world)
  }

  /** Pixels of the own player on the canvas, for touch steering. */
  toScreen(p: { x: number; y: number }): { x: number; y: number } {
    return { x: this.world.x + p.x * this.scale, y: this.world.y + p.y * this.scale }
  }

  draw(entities: Map<number, ArenaEntity>, selfId: number | undefined, nameOf: (id: number) => string): void {
    const { width, height } = this.app.screen
    this.scale = Math.min(width / ARENA.width, height / ARENA.height)
    this.world.scale.set(this.scale)
    this.world.position.set((width - ARENA.width * this.scale) / 2, (height - ARENA.height * this.scale) / 2)
    for (const [id, s] of this.sprites)
      if (!entities.has(id)) {
        s.g.destroy()
        s.label?.destroy()
        this.sprites.delete(id)
      }
    for (const [id, e] of entities) {
      let s = this.sprites.get(id)
      if (!s) {
        s = { g: this.shape(e, id === selfId) }
        if (e.kind === Kind.Player) {
          s.label = new Text({ text: '', style: { fill: 0xe6edf3, fontSize: 14 } })
          s.label.scale.set(1 / 30)
          s.label.anchor.set(0.5, 1.6)
          this.world.addChild(s.label)
        }
        this.world.addChild(s.g)
        this.sprites.set(id, s)
      }
      s.g.position.set(e.x, e.y)
      if (s.label) {
        s.label.position.set(e.x, e.y)
        const text = `${nameOf(id)} ${e.score}`
        if (s.label.text !== text) s.label.text = text
      }
    }
  }

  destroy(): void {
    this.app.destroy(true, { children: true })
  }

  private shape(e: ArenaEntity, self: boolean): Graphics {
    const g = new Graphics()
    if (e.kind === Kind.Gem) return g.poly([0, -GEM_RADIUS, GEM_RADIUS, 0, 0, GEM_RADIUS, -GEM_RADIUS, 0]).fill(0xffd33d)
    g.circle(0, 0, PLAYER_RADIUS).fill(COLORS[e.color % COLORS.length]!)
    if (self) g.circle(0, 0, PLAYER_RADIUS).stroke({ width: 0.1, color: 0xffffff })
    return g
  }
}
