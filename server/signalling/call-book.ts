/** A call between two peers: ringing until the callee answers, then accepted until someone hangs up. */
export interface Call {
  readonly caller: string
  readonly callee: string
  state: 'ringing' | 'accepted'
  readonly ringDeadline: number
}

const pair = (a: string, b: string) => (a < b ? `${a}\n${b}` : `${b}\n${a}`)

/**
 * Who may signal whom outside a shared room. Pure bookkeeping with time passed in, so the rules are
 * testable without sockets; the relay does the messaging.
 */
export class CallBook {
  private calls = new Map<string, Call>()

  constructor(private readonly ringTimeoutMs: number) {}

  get(a: string, b: string): Call | undefined {
    return this.calls.get(pair(a, b))
  }

  /** An accepted call lets the two signal each other. A ringing one allows nothing yet. */
  accepted(a: string, b: string): boolean {
    return this.get(a, b)?.state === 'accepted'
  }

  ringingFrom(caller: string): number {
    let n = 0
    for (const c of this.calls.values()) if (c.caller === caller && c.state === 'ringing') n++
    return n
  }

  ring(caller: string, callee: string, now: number): Call {
    const call: Call = { caller, callee, state: 'ringing', ringDeadline: now + this.ringTimeoutMs }
    this.calls.set(pair(caller, callee), call)
    return call
  }

  end(a: string, b: string): Call | undefined {
    const key = pair(a, b)
    const call = this.calls.get(key)
    this.calls.delete(key)
    return call
  }

  /** Removes and returns every call `peer` was in. */
  endAll(peer: string): Call[] {
    const ended: Call[] = []
    for (const [key, c] of this.calls) if (c.caller === peer || c.callee === peer) (this.calls.delete(key), ended.push(c))
    return ended
  }

  /** Removes and returns calls that rang too long. */
  expire(now: number): Call[] {
    const expired: Call[] = []
    for (const [key, c] of this.calls) if (c.state === 'ringing' && now > c.ringDeadline) (this.calls.delete(key), expired.push(c))
    return expired
  }

  get size(): number {
    return this.calls.size
  }
}
