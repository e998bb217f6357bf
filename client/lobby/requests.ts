import { LobbyError } from '../../shared/lobby/index'

interface Pending {
  resolve: (roomId: string | undefined) => void
  reject: (err: LobbyError) => void
  timer: ReturnType<typeof setTimeout>
}

/** Requests in flight, by the id (`rid`) the server's `lobbyAck` / `lobbyError` / `lobbyWelcome` repeats. */
export class PendingRequests {
  private next = 1
  private pending = new Map<number, Pending>()

  constructor(private readonly timeoutMs: number) {}

  /** A new request id and the promise its reply settles. */
  open(): { rid: number; reply: Promise<string | undefined> } {
    const rid = this.next
    this.next = this.next >= 0xffffffff ? 1 : this.next + 1
    const reply = new Promise<string | undefined>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(rid, new LobbyError('disconnected', `no reply within ${this.timeoutMs} ms`)), this.timeoutMs)
      this.pending.set(rid, { resolve, reject, timer })
    })
    return { rid, reply }
  }

  resolve(rid: number, roomId?: string): void {
    const p = this.take(rid)
    p?.resolve(roomId)
  }

  /** False when no request has this id (the error is then not about a request of ours). */
  fail(rid: number | undefined, err: LobbyError): boolean {
    const p = rid === undefined ? undefined : this.take(rid)
    p?.reject(err)
    return !!p
  }

  /** The connection went away: nothing in flight will be answered. */
  failAll(err: LobbyError): void {
    for (const rid of [...this.pending.keys()]) this.fail(rid, err)
  }

  private take(rid: number): Pending | undefined {
    const p = this.pending.get(rid)
    if (!p) return undefined
    clearTimeout(p.timer)
    this.pending.delete(rid)
    return p
  }
}
