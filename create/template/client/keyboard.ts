/** WASD / arrow keys as a direction, sampled by the netcode 60 times a second. */
const KEYS: Record<string, readonly [number, number]> = {
  ArrowLeft: [-1, 0], a: [-1, 0], ArrowRight: [1, 0], d: [1, 0],
  ArrowUp: [0, -1], w: [0, -1], ArrowDown: [0, 1], s: [0, 1],
}

export class Keyboard {
  private readonly held = new Set<string>()

  constructor() {
    window.addEventListener('keydown', (e) => {
      if (e.target instanceof HTMLInputElement || !KEYS[e.key]) return
      this.held.add(e.key)
      e.preventDefault()
    })
    window.addEventListener('keyup', (e) => this.held.delete(e.key))
    window.addEventListener('blur', () => this.held.clear())
  }

  direction(): { moveX: number; moveY: number } {
    let moveX = 0
    let moveY = 0
    for (const key of this.held) {
      moveX += KEYS[key]![0]
      moveY += KEYS[key]![1]
    }
    return { moveX, moveY }
  }
}
