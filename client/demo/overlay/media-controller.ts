import { Mesh, SignalClient, type GameClient, type LobbyClient } from 'netplay-toolkit/client'
import type { DemoSchema } from '../../../shared/demo/demo-schema'
import { button, el, toast } from '../ui/dom'
import { askUser } from './prompt'

/**
 * Voice and video: a mesh with everyone in our room, plus direct calls from the lobby's presence list
 * (which relay nothing until the callee accepts). Tiles float over the page; mic/camera toggles.
 */
export class MediaController {
  readonly root = el('section', { class: 'video-tiles', id: 'video-tiles' })
  private signals: SignalClient<DemoSchema>
  private mesh: Mesh | undefined
  private starting: Promise<void> | undefined
  private readonly calls = new Set<string>()
  private readonly tiles = new Map<string, HTMLElement>()
  private readonly controls: HTMLElement

  constructor(
    /** Replaced on rebind; its iceServers() carry the TURN credentials the server minted for us. */
    private client: GameClient<DemoSchema>,
    private readonly lobby: LobbyClient,
    /** Media only through TURN relays (the page's `?media=relay`), which hides the players' addresses from each other. */
    private readonly relayOnly = false,
  ) {
    const mic = button('Mute', () => this.toggle('audio', mic, 'Mute', 'Unmute'), 'small')
    const cam = button('Camera off', () => this.toggle('video', cam, 'Camera off', 'Camera on'), 'small')
    mic.id = 'toggle-mic'
    cam.id = 'toggle-cam'
    this.controls = el('div', { class: 'media-controls' }, [mic, cam])
    this.root.append(this.controls)
    this.signals = this.bind(client)
    for (const e of ['peerJoined', 'peerLeft', 'peerChanged', 'joined'] as const) lobby.events.on(e, () => this.follow())
  }

  /**
   * Moves to a new connection (after an automatic resume): the old signalling and peer connections
   * are gone with it, so the mesh starts again and reconnects to the room.
   */
  rebind(client: GameClient<DemoSchema>): void {
    this.client = client
    this.signals.dispose()
    this.mesh?.close()
    this.mesh = undefined
    this.starting = undefined
    this.calls.clear()
    for (const [id, tile] of this.tiles) if (id !== 'self') tile.remove()
    this.signals = this.bind(client)
    this.follow()
  }

  private bind(client: GameClient<DemoSchema>): SignalClient<DemoSchema> {
    const signals = new SignalClient(client)
    signals.events.on('incomingCall', ({ from, name }) => {
      void askUser(`${name} is calling you. Answer with video?`, 'Answer', 'Decline').then((yes) => {
        signals.answer(from, yes)
        if (yes) this.addCall(from)
      })
    })
    signals.events.on('callAnswered', ({ from, accept }) => {
      if (accept) this.addCall(from)
      else toast(`${this.lobby.peers.get(from)?.name ?? 'The peer'} declined the call`)
    })
    signals.events.on('callEnded', ({ from }) => {
      this.calls.delete(from)
      this.follow()
    })
    return signals
  }

  /** Rings a peer from the presence list. */
  call(peerId: string): void {
    this.signals.call(peerId)
    toast(`Calling ${this.lobby.peers.get(peerId)?.name ?? peerId}…`)
  }

  /** Mesh peers = our room mates plus accepted calls. */
  follow(): void {
    const self = this.lobby.self
    if (!self) return
    const wanted = new Set(this.calls)
    // A peer that is reconnecting gets a new peer connection when it is back (its page may have reloaded).
    if (self.room) for (const p of this.lobby.peers.values()) if (p.room === self.room && p.id !== self.id && p.status !== 'reconnecting') wanted.add(p.id)
    if (wanted.size === 0 && !this.mesh) return
    void this.ensureMesh().then(() => this.mesh?.setPeers(wanted))
  }

  private addCall(peerId: string): void {
    this.calls.add(peerId)
    this.follow()
  }

  private ensureMesh(): Promise<void> {
    if (this.starting) return this.starting
    const self = this.lobby.self!
    const mesh = new Mesh({ selfId: self.id, signals: this.signals, iceServers: () => this.client.iceServers(), relayOnly: this.relayOnly, acceptUnknownPeers: true, video: { width: 320, height: 240, frameRate: 15 } })
    this.mesh = mesh
    mesh.events.on('stream', (id, stream) => this.tile(id, this.lobby.peers.get(id)?.name ?? id, stream, false))
    mesh.events.on('removed', (id) => {
      this.tiles.get(id)?.remove()
      this.tiles.delete(id)
    })
    mesh.events.on('state', (id, state) => this.tiles.get(id)?.setAttribute('data-state', state))
    this.starting = mesh.start().then(
      (local) => this.tile('self', 'you', local, true),
      (err: unknown) => toast(`Camera/microphone unavailable: ${err instanceof Error ? err.message : String(err)}`, 'error'),
    )
    return this.starting
  }

  private tile(id: string, label: string, stream: MediaStream, muted: boolean): void {
    let tile = this.tiles.get(id)
    if (!tile) {
      const video = el('video', { 'data-peer': id })
      video.autoplay = true
      video.playsInline = true
      video.muted = muted // our own sound must not echo back
      tile = el('figure', { class: 'tile' }, [video, el('figcaption', { text: label })])
      this.tiles.set(id, tile)
      this.root.insertBefore(tile, this.controls)
    }
    const video = tile.querySelector('video')!
    if (video.srcObject !== stream) video.srcObject = stream
  }

  private toggle(kind: 'audio' | 'video', b: HTMLButtonElement, on: string, off: string): void {
    const tracks = kind === 'audio' ? this.mesh?.localStream?.getAudioTracks() : this.mesh?.localStream?.getVideoTracks()
    if (!tracks?.length) return
    const enabled = !tracks[0]!.enabled
    for (const t of tracks) t.enabled = enabled
    b.textContent = enabled ? on : off
  }
}
