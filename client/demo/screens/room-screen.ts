import type { LobbyClient } from 'netplay-toolkit/client'
import { button, el } from '../ui/dom'

/** The room: the game view in the middle; overlays (video, chat, files, HUD) are attached by main. */
export class RoomScreen {
  readonly root: HTMLElement
  readonly stage = el('div', { class: 'stage', id: 'stage' })
  readonly side = el('aside', { class: 'side' })
  readonly header: HTMLElement
  private readonly title = el('h2', { id: 'room-title' })

  constructor(
    private readonly lobby: LobbyClient,
    onLeave: () => void,
  ) {
    this.header = el('header', {}, [this.title, button('Leave room', onLeave, 'leave')])
    this.root = el('div', { class: 'room', id: 'room' }, [this.header, this.stage, this.side])
    this.off = lobby.events.on('roomsChanged', () => this.refresh())
    this.refresh()
  }

  private readonly off: () => void

  dispose(): void {
    this.off()
  }

  refresh(): void {
    const room = this.lobby.room
    this.title.textContent = room ? `${room.name} · ${room.size}/${room.capacity}` : ''
  }
}
