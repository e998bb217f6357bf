import type { ChatMessage, LobbyClient } from 'netplay-toolkit/client'
import { el } from '../ui/dom'

/** Room and direct chat. Lines are text nodes; a direct target is chosen from the peer list. */
export class ChatPanel {
  readonly root: HTMLElement
  private readonly log = el('ul', { class: 'chat-log', id: 'chat-log' })
  private readonly target = el('select', { id: 'chat-target' })
  private readonly input = el('input', { id: 'chat-input', placeholder: 'say something' })
  private readonly off: () => void

  constructor(private readonly lobby: LobbyClient) {
    this.input.maxLength = 500
    const form = el('form', { class: 'chat-form', id: 'chat-form' }, [this.target, this.input, el('button', { text: 'Send', type: 'submit' })])
    form.addEventListener('submit', (e) => {
      e.preventDefault()
      const text = this.input.value
      if (!text.trim()) return
      this.input.value = ''
      lobby.say(text, this.target.value || 'room').catch((err: unknown) => this.system(`not sent: ${err instanceof Error ? err.message : String(err)}`))
    })
    this.root = el('section', { class: 'panel chat' }, [el('h3', { text: 'Chat' }), this.log, form])
    this.off = lobby.events.on('chat', (m) => this.show(m))
    this.refreshTargets()
  }

  /** Direct-message targets follow the peer list. */
  refreshTargets(): void {
    const current = this.target.value
    const options = [el('option', { value: '', text: 'to room' })]
    for (const p of this.lobby.peers.values()) if (p.id !== this.lobby.self?.id) options.push(el('option', { value: p.id, text: `to ${p.name}` }))
    this.target.replaceChildren(...options)
    this.target.value = [...this.target.options].some((o) => o.value === current) ? current : ''
  }

  system(text: string): void {
    this.log.append(el('li', { class: 'system', text }))
    this.log.scrollTop = this.log.scrollHeight
  }

  dispose(): void {
    this.off()
  }

  private show(m: ChatMessage): void {
    const direct = m.to !== 'room'
    const time = new Date(m.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    const who = direct ? `${m.fromName} → ${this.lobby.peers.get(m.to)?.name ?? 'you'}` : m.fromName
    this.log.append(el('li', { class: direct ? 'direct' : '' }, [el('time', { text: time }), ' ', el('b', { text: who }), ': ', m.text]))
    this.log.scrollTop = this.log.scrollHeight
  }
}
