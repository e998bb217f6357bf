import type { LobbyClient, PeerInfo, RoomInfo } from 'netplay-toolkit/client'
import { button, el } from '../ui/dom'

export interface LobbyActions {
  joinRoom(room: RoomInfo): void
  createRoom(form: { name: string; capacity: number; password?: string; mode: string }): void
  /** Direct voice/video call from the presence list (works in the lobby too). */
  call(peer: PeerInfo): void
}

/** Who is online (with ping and a call button), which rooms exist, and a form to create one. */
export class LobbyScreen {
  readonly root: HTMLElement
  private readonly peerList = el('ul', { class: 'peers', id: 'peer-list' })
  private readonly roomList = el('ul', { class: 'rooms', id: 'room-list' })
  private readonly offs: (() => void)[]

  constructor(
    private readonly lobby: LobbyClient,
    private readonly actions: LobbyActions,
  ) {
    const name = el('input', { id: 'room-name', placeholder: 'room name', value: `${lobby.self?.name ?? 'my'}'s arena` })
    name.maxLength = 32
    const capacity = el('input', { id: 'room-capacity', type: 'number', value: '4' })
    capacity.min = '2'
    capacity.max = '8'
    const password = el('input', { id: 'room-password', type: 'password', placeholder: 'password (optional)' })
    const mode = el('select', { id: 'room-mode' }, [el('option', { value: 'collect', text: 'collect the gems' })])
    const form = el('form', { class: 'create-room', id: 'create-room' }, [name, capacity, password, mode, el('button', { text: 'Create room', type: 'submit' })])
    form.addEventListener('submit', (e) => {
      e.preventDefault()
      actions.createRoom({ name: name.value, capacity: Number(capacity.value), password: password.value || undefined, mode: mode.value })
    })
    this.root = el('div', { class: 'lobby', id: 'lobby' }, [
      el('section', { class: 'panel' }, [el('h3', { text: 'Online' }), this.peerList]),
      el('section', { class: 'panel' }, [el('h3', { text: 'Rooms' }), this.roomList, form]),
    ])
    this.offs = [
      lobby.events.on('peerJoined', () => this.render()),
      lobby.events.on('peerLeft', () => this.render()),
      lobby.events.on('peerChanged', () => this.render()),
      lobby.events.on('roomsChanged', () => this.render()),
      lobby.events.on('joined', () => this.render()),
    ]
    this.render()
  }

  render(): void {
    const selfId = this.lobby.self?.id
    this.peerList.replaceChildren(
      ...[...this.lobby.peers.values()].map((p) => {
        const room = p.room ? this.lobby.rooms.get(p.room)?.name : undefined
        const li = el('li', { 'data-peer': p.id }, [
          el('span', { class: `dot ${p.status}` }),
          el('b', { text: p.name }),
          el('span', { class: 'muted', text: ` ${p.status}${room ? ` · ${room}` : ''}` }),
          el('span', { class: 'ping', text: p.ping ? `${p.ping} ms` : '' }),
        ])
        if (p.id !== selfId) li.append(button('Call', () => this.actions.call(p), 'small call'))
        return li
      }),
    )
    const rooms = [...this.lobby.rooms.values()]
    this.roomList.replaceChildren(
      ...(rooms.length === 0
        ? [el('li', { class: 'muted', text: 'No rooms yet: create one.' })]
        : rooms.map((r) =>
            el('li', { 'data-room': r.id }, [
              el('b', { text: r.name }),
              el('span', { class: 'muted', text: ` ${r.size}/${r.capacity}${r.hasPassword ? ' 🔒' : ''} ${r.meta.mode ?? ''}` }),
              button(r.size >= r.capacity ? 'Full' : 'Join', () => this.actions.joinRoom(r), 'small join'),
            ]),
          )),
    )
  }

  dispose(): void {
    for (const off of this.offs) off()
  }
}
