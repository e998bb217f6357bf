/**
 * Caps on peer connections: every `POST /connections` allocates native WebRTC state (ICE agent, DTLS,
 * SCTP), so the front door asks here *before* allocating. A ticket is held from admission until the
 * peer connection is gone; it counts as a handshake until the client's hello is accepted.
 */
export interface ConnectLimitsOptions {
  /** Peer connections in setup (offer made, hello not yet accepted), whole server. Default 128. */
  maxHandshakes: number
  /** The same, per client address. Default 16. */
  maxHandshakesPerAddress: number
  /** Peer connections of any phase, whole server. Default 2000. */
  maxConnections: number
  /** The same, per client address (a household or school behind one NAT shares one). Default 64. */
  maxConnectionsPerAddress: number
}

export const DEFAULT_CONNECT_LIMITS: ConnectLimitsOptions = {
  maxHandshakes: 128,
  maxHandshakesPerAddress: 16,
  maxConnections: 2000,
  maxConnectionsPerAddress: 64,
}

/** Why an admission was refused; the front door answers 429 (per address) or 503 (server). */
export interface LimitRefusal {
  status: 429 | 503
  reason: 'too-many-handshakes-from-address' | 'too-many-connections-from-address' | 'server-busy' | 'server-full'
}

export interface ConnectTicket {
  readonly address: string
  /** The geckos id of the peer connection it pays for, once created. */
  id: string | undefined
  /** The client's hello was accepted: from now on a connection, no longer a handshake. */
  opened(): void
  /** The peer connection is gone (or was never made). Idempotent. */
  release(): void
}

interface Counts {
  handshakes: number
  all: number
}

export class ConnectLimits {
  readonly options: ConnectLimitsOptions
  private total: Counts = { handshakes: 0, all: 0 }
  private byAddress = new Map<string, Counts>()
  private live = new Set<ConnectTicket>()

  constructor(options: Partial<ConnectLimitsOptions> = {}) {
    this.options = { ...DEFAULT_CONNECT_LIMITS, ...options }
  }

  get handshakes(): number {
    return this.total.handshakes
  }

  get connections(): number {
    return this.total.all
  }

  /**
   * A ticket, or why not. `alive(id)` lets tickets whose peer connection vanished without our
   * noticing (a path that skipped close) be reclaimed first, so a leak can never lock clients out.
   */
  admit(address: string, alive: (id: string) => boolean): ConnectTicket | LimitRefusal {
    for (const t of this.live) if (t.id !== undefined && !alive(t.id)) t.release()
    const here = this.byAddress.get(address) ?? { handshakes: 0, all: 0 }
    const o = this.options
    if (here.handshakes >= o.maxHandshakesPerAddress) return { status: 429, reason: 'too-many-handshakes-from-address' }
    if (here.all >= o.maxConnectionsPerAddress) return { status: 429, reason: 'too-many-connections-from-address' }
    if (this.total.handshakes >= o.maxHandshakes) return { status: 503, reason: 'server-busy' }
    if (this.total.all >= o.maxConnections) return { status: 503, reason: 'server-full' }
    this.byAddress.set(address, here)
    return this.issue(address, here)
  }

  private issue(address: string, here: Counts): ConnectTicket {
    let phase: 'handshake' | 'open' | 'released' = 'handshake'
    here.handshakes++
    here.all++
    this.total.handshakes++
    this.total.all++
    const ticket: ConnectTicket = {
      address,
      id: undefined,
      opened: () => {
        if (phase !== 'handshake') return
        phase = 'open'
        here.handshakes--
        this.total.handshakes--
      },
      release: () => {
        if (phase === 'released') return
        if (phase === 'handshake') {
          here.handshakes--
          this.total.handshakes--
        }
        phase = 'released'
        here.all--
        this.total.all--
        this.live.delete(ticket)
        if (here.all === 0) this.byAddress.delete(address)
      },
    }
    this.live.add(ticket)
    return ticket
  }
}

export const isRefusal = (x: ConnectTicket | LimitRefusal): x is LimitRefusal => 'status' in x
