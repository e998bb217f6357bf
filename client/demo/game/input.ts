/**
 * The player's stick: WASD / arrow keys, or a finger (or mouse button) held on the arena, which
 * steers toward the touch point. Sampled by the netcode at its input rate.
 */
export class PlayerInput {
  private readonly keys = new Set<string>()
  private pointer: { x: number; y: number } | undefined
  private readonly offs: (() => void)[] = []

  constructor(
    private readonly surface: HTMLElement,
    /** Where the own player is, in the surface's pixels (for touch steering). */
    private readonly selfOnScreen: () => { x: number; y: number } | undefined,
  ) {
    const on = <K extends keyof WindowEventMap>(target: Window | HTMLElement, type: K, fn: (e: WindowEventMap[K]) => void) => {
      target.addEventListener(type, fn as EventListener)
      this.offs.push(() => target.removeEventListener(type, fn as EventListener))
    }
    on(window, 'keydown', (e) => {
      if ((e.target as HTMLElement | null)?.closest('input, textarea, select')) return
      if (KEYS[e.key]) {
        this.keys.add(e.key)
        e.preventDefault()
      }
    })
    on(window, 'keyup', (e) => this.keys.delete(e.key))
    on(window, 'blur', () => this.keys.clear())
    const point = (e: PointerEvent) => {
      const r = surface.getBoundingClientRect()
      this.pointer = { x: e.clientX - r.left, y: e.clientY - r.top }
    }
    on(surface, 'pointerdown', (e) => {
      surface.setPointerCapture(e.pointerId)
      point(e)
    })
    on(surface, 'pointermove', (e) => this.pointer && point(e))
    on(surface, 'pointerup', () => (this.pointer = undefined))
    on(surface, 'pointercancel', () => (this.pointer = undefined))
  }

  sample(): { moveX: number; moveY: number } {
    let moveX = 0
    let moveY = 0
    for (const k of this.keys) {
      moveX += KEYS[k]![0]
      moveY += KEYS[k]![1]
    }
    const self = this.selfOnScreen()
    if (this.pointer && self) {
      const dx = this.pointer.x - self.x
      const dy = this.pointer.y - self.y
      const len = Math.hypot(dx, dy)
      if (len > 8) return { moveX: dx / len, moveY: dy / len }
    }
    const len = Math.hypot(moveX, moveY)
    return len > 1 ? { moveX: moveX / len, moveY: moveY / len } : { moveX, moveY }
  }

  dispose(): void {
    for (const off of this.offs) off()
  }
}

const KEYS: Record<string, [number, number]> = {
  w: [0, -1], a: [-1, 0], s: [0, 1], d: [1, 0],
  W: [0, -1], A: [-1, 0], S: [0, 1], D: [1, 0],
  ArrowUp: [0, -1], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowRight: [1, 0],
}
