/** A minimal typed event emitter: `Events` maps an event name to its listener's arguments. */
export class Emitter<Events extends { [K in keyof Events]: unknown[] }> {
  private listeners: { [K in keyof Events]?: Set<(...args: Events[K]) => void> } = {}

  on<K extends keyof Events>(event: K, listener: (...args: Events[K]) => void): () => void {
    const set = (this.listeners[event] ??= new Set())
    set.add(listener)
    return () => set.delete(listener)
  }

  has(event: keyof Events): boolean {
    return (this.listeners[event]?.size ?? 0) > 0
  }

  emit<K extends keyof Events>(event: K, ...args: Events[K]): void {
    const set = this.listeners[event]
    if (set) for (const l of [...set]) l(...args)
  }

  clear(): void {
    this.listeners = {}
  }
}
