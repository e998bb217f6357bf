import { FileClient, sanitizeFileName, type GameClient, type LobbyClient } from 'netplay-toolkit/client'
import type { DemoSchema } from '../../../shared/demo/demo-schema'
import { el, formatBytes, toast } from '../ui/dom'
import { askUser } from './prompt'

/**
 * File sharing: drop a file (or pick one) to send it to the room or to one peer; receivers are asked
 * first; progress bars on both sides; received files are offered as a download link.
 */
export class FilePanel {
  readonly root: HTMLElement
  private files: FileClient<DemoSchema>
  private readonly list = el('ul', { class: 'transfers', id: 'transfers' })
  private readonly target = el('select', { id: 'file-target' })
  private readonly rows = new Map<string, { bar: HTMLProgressElement; label: HTMLElement }>()

  constructor(
    client: GameClient<DemoSchema>,
    private readonly lobby: LobbyClient,
  ) {
    this.files = this.bind(client)
    const picker = el('input', { type: 'file', id: 'file-input' })
    picker.addEventListener('change', () => {
      for (const f of picker.files ?? []) void this.send(f)
      picker.value = ''
    })
    const drop = el('div', { class: 'drop', id: 'file-drop', text: 'Drop a file here or ' }, [picker])
    drop.addEventListener('dragover', (e) => {
      e.preventDefault()
      drop.classList.add('over')
    })
    drop.addEventListener('dragleave', () => drop.classList.remove('over'))
    drop.addEventListener('drop', (e) => {
      e.preventDefault()
      drop.classList.remove('over')
      for (const f of e.dataTransfer?.files ?? []) void this.send(f)
    })
    this.root = el('section', { class: 'panel files' }, [el('h3', { text: 'Files' }), this.target, drop, this.list])
    this.refreshTargets()
  }

  /** Moves to a new connection after an automatic resume (transfers on the old one were cancelled by the server). */
  rebind(client: GameClient<DemoSchema>): void {
    this.files.dispose()
    this.files = this.bind(client)
  }

  private bind(client: GameClient<DemoSchema>): FileClient<DemoSchema> {
    const files = new FileClient(client)
    files.events.on('offer', (offer) => {
      void askUser(`Save file “${offer.name}” (${formatBytes(offer.size)}) from ${offer.fromName}?`, 'Save', 'Decline').then((yes) => {
        if (yes) {
          offer.accept()
          this.row(offer.transferId, `↓ ${offer.name} from ${offer.fromName}`)
        } else offer.decline()
      })
    })
    files.events.on('progress', (p) => {
      const row = this.rows.get(p.transferId)
      if (row) row.bar.value = p.size ? p.bytes / p.size : 1
    })
    files.events.on('complete', (f) => {
      const row = this.rows.get(f.transferId)
      if (!row) return
      row.bar.value = 1
      const url = URL.createObjectURL(new Blob([f.bytes as Uint8Array<ArrayBuffer>], { type: f.mime || 'application/octet-stream' }))
      const link = el('a', { text: 'save', class: 'save', 'data-transfer': f.transferId })
      link.setAttribute('href', url)
      link.setAttribute('download', f.name) // the sanitised name, as text
      row.label.append(' ✓ ', link)
    })
    files.events.on('sent', (d) => this.rows.get(d.transferId)?.label.append(' ✓ sent'))
    files.events.on('cancelled', (d) => this.rows.get(d.transferId)?.label.append(` ✗ ${d.reason}`))
    return files
  }

  refreshTargets(): void {
    const current = this.target.value
    const options = [el('option', { value: 'room', text: 'to my room' })]
    for (const p of this.lobby.peers.values()) if (p.id !== this.lobby.self?.id) options.push(el('option', { value: p.id, text: `to ${p.name}` }))
    this.target.replaceChildren(...options)
    this.target.value = [...this.target.options].some((o) => o.value === current) ? current : 'room'
  }

  private async send(file: File): Promise<void> {
    try {
      const bytes = new Uint8Array(await file.arrayBuffer())
      const id = this.files.send({ name: file.name, bytes, mime: file.type }, this.target.value)
      this.row(id, `↑ ${sanitizeFileName(file.name)} (${formatBytes(file.size)})`)
    } catch (err) {
      toast(`Could not send ${file.name}: ${err instanceof Error ? err.message : String(err)}`, 'error')
    }
  }

  private row(id: string, text: string): void {
    const bar = el('progress')
    bar.max = 1
    bar.value = 0
    const label = el('span', { text })
    this.rows.set(id, { bar, label })
    this.list.append(el('li', { 'data-transfer': id }, [label, bar]))
  }
}
