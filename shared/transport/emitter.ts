/** A listener threw: which event it was listening to, and what it threw (`cause`). */
export class ListenerError extends Error {
  override readonly name = 'ListenerError'
  constructor(
    readonly event: string,
    override readonly cause: unknown,
  ) {
    super(`a listener for "${event}" threw: ${cause instanceof Error ? cause.message : String(cause)}`)
  }
}

export interface EmitterOptions {
  /**
   * Where a throwing listener is reported; owners route it to their `error` event. Without it (or
   * when the report itself throws) the error goes to `console.error`: never swallowed.
   */
  onListenerError?: (error: ListenerError) => void
}

/**
 * A minimal typed event emitter: `Events` maps an event name to its listener's arguments.
 * Listeners are isolated: one that throws does not stop the others, nor the code that emitted.
 */
export class Emitter<Events extends { [K in keyof Events]: unknown[] }> {
  private listeners: { [K in keyof Events]?: Set<(...args: Events[K]) => void> } = {}
  /** True while a listener error is being reported: a listener that throws then is not reported again (no loop). */
  private reporting = false

  constructor(private readonly options: EmitterOptions = {}) {}

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
    if (!set) return
    for (const l of [...set]) {
      try {
        l(...args)
      } catch (err) {
        this.report(new ListenerError(String(event), err))
      }
    }
  }

  clear(): void {
    this.listeners = {}
  }

  private report(error: ListenerError): void {
    const hook = this.options.onListenerError
    if (!hook || this.reporting) return void console.error(error)
    this.reporting = true
    try {
      hook(error)
    } catch (hookError) {
      console.error(error, hookError)
    } finally {
      this.reporting = false
    }
  }
}
