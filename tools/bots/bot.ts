/**
 * One bot: a Node GameClient over real WebRTC that signs in to the lobby, joins (or creates) its
 * arena room and plays with random-walk inputs, measured by `BotsMeter`. Chat and files: bot-extras.ts.
 */
import { ConnectError, GameClient } from '../../client/index'
import { LobbyClient } from '../../client/lobby/index'
import { NetClient } from '../../client/netcode/index'
import { arenaLayout, arenaNetMessages, sanitizeArenaInput, stepPlayer, type ArenaInputFields, type ArenaLayout } from '../../shared/demo/arena'
import { demoSchema, type DemoSchema } from '../../shared/demo/demo-schema'
import { LobbyError } from '../../shared/lobby/index'
import { BotExtras } from './bot-extras'
import type { BotsMeter } from './meter'
import { sourceAddress, sourceAddressOf } from './source-address'

export type BotState = 'connecting' | 'playing' | 'failed' | 'closed'

export interface BotPlan {
  url: string
  /** Global index over all processes: names the bot and picks its room. */
  index: number
  room: string
  roomSize: number
  chatPerSec: number
  files: boolean
  connectTimeoutMs: number
  /** Signal from a loopback address of the bot's own (source-address.ts). */
  ownAddress: boolean
}

/** A joiner that sees no room this long after joining the lobby creates it (its creator failed). */
const ROOM_WAIT_MS = 10_000

export class Bot {
  state: BotState = 'connecting'
  client: GameClient<DemoSchema> | undefined
  private lobby: LobbyClient<DemoSchema> | undefined
  private net: NetClient<DemoSchema, ArenaInputFields, ArenaLayout> | undefined
  private extras: BotExtras | undefined
  private closing = false
  /** Where a timeout caught the bot: names the failure. */
  private phase = 'connect'
  private readonly walk = randomWalk()
  private releaseAddress: (() => void) | undefined

  constructor(
    private readonly plan: BotPlan,
    private readonly meter: BotsMeter,
  ) {}

  /** Resolves once playing or failed (the reason is counted in the meter's errors). */
  async start(): Promise<void> {
    const t0 = performance.now()
    const deadline = setTimeout(() => this.fail(`timeout: not playing after ${this.plan.connectTimeoutMs} ms (${this.phase})`), this.plan.connectTimeoutMs)
    try {
      const client = (this.client = new GameClient(demoSchema, { url: this.plan.url, connectTimeoutMs: this.plan.connectTimeoutMs }))
      if (this.plan.ownAddress) {
        const own = await sourceAddress(sourceAddressOf(this.plan.index))
        this.releaseAddress = own.release
        await own.run(() => client.connect())
      } else await client.connect()
      this.meter.connectMs.add(performance.now() - t0)
      if (this.closing) return
      this.watch(client)
      const lobby = (this.lobby = new LobbyClient(client, { storage: null, sessionStorage: null }))
      lobby.events.on('error', (e) => this.meter.error(`lobby: ${e.code}`))
      this.phase = 'lobby join'
      await lobby.join({ name: `bot-${this.plan.index}` })
      this.net = new NetClient(client, {
        messages: arenaNetMessages,
        game: { layout: arenaLayout, sampleInput: () => this.walk(), sanitize: sanitizeArenaInput, simulate: stepPlayer },
      })
      this.phase = 'room'
      await this.enterRoom(lobby)
      this.phase = 'first snapshot'
      await this.until(() => this.net?.render().self !== undefined)
      if (this.state !== 'connecting') return
      this.meter.readyMs.add(performance.now() - t0)
      this.state = 'playing'
      this.extras = new BotExtras(client, lobby, this.meter, { chatPerSec: this.plan.chatPerSec, files: this.plan.files })
    } catch (err) {
      this.fail(describe(err))
    } finally {
      clearTimeout(deadline)
    }
  }

  /** In the WebRTC handshake (signalling, ICE, DTLS, channels), the CPU-heavy part of connecting. */
  get handshaking(): boolean {
    return this.state === 'connecting' && this.phase === 'connect'
  }

  /** Gauges of the bot's link for the live line. */
  linkStats(): { jitter: number; lossIn: number; lossOut: number; bytesIn: number; bytesOut: number } | undefined {
    if (this.state !== 'playing' || !this.client?.connected) return undefined
    const s = this.client.stats()
    return { jitter: s.jitter, lossIn: s.loss.in, lossOut: s.loss.out, bytesIn: s.bytesInPerSec, bytesOut: s.bytesOutPerSec }
  }

  /** Leaves the lobby for good (no grace period), then closes. */
  async leave(): Promise<void> {
    this.extras?.stop()
    if (this.lobby && this.client?.connected && this.state === 'playing') await this.lobby.leave().catch(() => undefined)
    this.close()
  }

  close(): void {
    if (this.closing) return
    this.closing = true
    if (this.state === 'connecting' || this.state === 'playing') this.state = 'closed'
    this.extras?.stop()
    this.net?.stop()
    this.releaseAddress?.()
    if (this.lobby) this.lobby.close()
    else this.client?.close()
  }

  /** The bot's room is `<room>-<k>`; its first bot creates it, the others wait to see it and join. */
  private async enterRoom(lobby: LobbyClient<DemoSchema>): Promise<void> {
    const name = `${this.plan.room}-${1 + Math.floor(this.plan.index / this.plan.roomSize)}`
    const find = () => [...lobby.rooms.values()].find((r) => r.name === name && r.size < r.capacity)
    const creator = this.plan.index % this.plan.roomSize === 0
    const waitUntil = performance.now() + ROOM_WAIT_MS
    if (!creator) await this.until(() => find() !== undefined || performance.now() > waitUntil)
    const room = find()
    if (room) await lobby.joinRoom(room.id)
    else await lobby.createRoom({ name, capacity: this.plan.roomSize, meta: { mode: 'collect' } })
  }

  private watch(client: GameClient<DemoSchema>): void {
    client.raw.events.on('pong', (p) => this.meter.rttMs.add(p.receivedAt - p.sentAt))
    client.events.on('error', (e) => this.meter.error(`link: ${e.code}`))
    client.events.on('disconnect', (reason) => {
      if (!this.closing) this.fail(`disconnected: ${reason}`)
    })
    // Update age: the server time of the tick a snapshot describes, against our synced estimate of
    // the server clock when it arrived (docs/bots.md). NetClient decodes it; we only time it.
    let join: { epoch: number; tickRate: number } | undefined
    client.on('netJoin', (j) => (join ??= j))
    client.on('netSnapshot', (m) => {
      if (this.state !== 'playing') return
      this.meter.snapshots++
      const net = this.net
      if (!join || !net?.clockSync.synced) return
      this.meter.updateAgeMs.add(Math.max(0, net.serverNow() - (join.epoch + (m.slot * 1000) / join.tickRate)))
    })
  }

  private fail(reason: string): void {
    if (this.state === 'failed' || this.state === 'closed') return
    this.state = 'failed'
    this.meter.error(reason.slice(0, 120))
    this.close()
    this.state = 'failed'
  }

  /** Polls `ok` until it holds or the bot stopped connecting (the start deadline fails it). */
  private async until(ok: () => boolean): Promise<void> {
    while (!ok() && this.state === 'connecting') await new Promise((r) => setTimeout(r, 50))
  }
}

/** A direction held for 0.5-2 s, then another; sometimes standing still. */
function randomWalk(): () => { moveX: number; moveY: number } {
  let move = { moveX: 0, moveY: 0 }
  let until = 0
  return () => {
    const now = performance.now()
    if (now >= until) {
      const a = Math.random() * 2 * Math.PI
      move = Math.random() < 0.15 ? { moveX: 0, moveY: 0 } : { moveX: Math.round(Math.cos(a) * 100) / 100, moveY: Math.round(Math.sin(a) * 100) / 100 }
      until = now + 500 + Math.random() * 1500
    }
    return move
  }
}

/** Error reasons as counted in the report: the ConnectError or LobbyError code, then the detail. */
function describe(err: unknown): string {
  if (err instanceof ConnectError) return `${err.reason}: ${err.message.replace(/^\w+: /, '')}`
  if (err instanceof LobbyError) return `lobby ${err.code}: ${err.message}`
  return err instanceof Error ? err.message : String(err)
}
