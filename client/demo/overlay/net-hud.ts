import type { LinkConditions, NetStats } from 'netplay-toolkit/client'
import { el, formatBytes } from '../ui/dom'

export interface HudExtras {
  /** Server ticks and snapshots per second as this client sees them (set by the game view). */
  tickRate?: number
  snapshotsPerSec?: number
}

const HISTORY = 120

/**
 * Ping, jitter, loss both ways, bandwidth, tick/snapshot rates, a live RTT/loss graph, and
 * link-conditioner sliders so anyone can feel the game on a bad network.
 */
export class NetHud {
  readonly root: HTMLElement
  private readonly numbers = el('dl', { class: 'hud-numbers', id: 'hud-numbers' })
  private readonly graph = el('canvas', { class: 'hud-graph', id: 'hud-graph' })
  private readonly rtts: number[] = []
  private readonly losses: number[] = []
  extras: HudExtras = {}

  constructor(onConditions: (c: LinkConditions) => void) {
    this.graph.width = 240
    this.graph.height = 60
    const conditions: Required<Pick<LinkConditions, 'latencyMs' | 'jitterMs' | 'loss'>> = { latencyMs: 0, jitterMs: 0, loss: 0 }
    const slider = (key: keyof typeof conditions, label: string, max: number, step: number, unit: (v: number) => string) => {
      const input = el('input', { type: 'range', id: `cond-${key}` })
      input.min = '0'
      input.max = String(max)
      input.step = String(step)
      input.value = '0'
      const out = el('output', { text: unit(0) })
      input.addEventListener('input', () => {
        conditions[key] = Number(input.value)
        out.textContent = unit(conditions[key])
        onConditions({ ...conditions })
      })
      return el('label', { class: 'cond' }, [label, input, out])
    }
    this.root = el('section', { class: 'panel hud', id: 'net-hud' }, [
      el('h3', { text: 'Network' }),
      this.numbers,
      this.graph,
      el('details', {}, [
        el('summary', { text: 'Simulate a bad network (both directions)' }),
        slider('latencyMs', 'latency', 300, 5, (v) => `${v} ms`),
        slider('jitterMs', 'jitter', 100, 5, (v) => `${v} ms`),
        slider('loss', 'loss', 0.5, 0.01, (v) => `${Math.round(v * 100)}%`),
      ]),
    ])
  }

  update(s: NetStats): void {
    const row = (k: string, v: string) => [el('dt', { text: k }), el('dd', { text: v, 'data-stat': k })]
    const netcodeIn = s.messagesIn.netSnapshot
    this.numbers.replaceChildren(
      ...row('transport', s.transport === 'websocket' ? `WebSocket (${s.transportReason})` : 'WebRTC'),
      ...row('ping', `${s.rtt.smoothed.toFixed(1)} ms (p95 ${s.rtt.p95.toFixed(0)})`),
      ...row('jitter', `${s.jitter.toFixed(1)} ms`),
      ...row('loss ↓/↑', `${(s.loss.in * 100).toFixed(1)}% / ${(s.loss.out * 100).toFixed(1)}%`),
      ...row('in/out', `${formatBytes(s.bytesInPerSec)}/s / ${formatBytes(s.bytesOutPerSec)}/s`),
      ...row('snapshots', `${(this.extras.snapshotsPerSec ?? netcodeIn?.messagesPerSec ?? 0).toFixed(0)}/s`),
      ...row('tick', this.extras.tickRate ? `${this.extras.tickRate} Hz` : '–'),
    )
    this.rtts.push(s.rtt.smoothed)
    this.losses.push(s.loss.in)
    if (this.rtts.length > HISTORY) this.rtts.shift()
    if (this.losses.length > HISTORY) this.losses.shift()
    this.draw()
  }

  private draw(): void {
    const g = this.graph.getContext('2d')
    if (!g) return
    const { width: w, height: h } = this.graph
    g.clearRect(0, 0, w, h)
    const maxRtt = Math.max(50, ...this.rtts)
    const plot = (values: number[], max: number, color: string) => {
      g.strokeStyle = color
      g.beginPath()
      values.forEach((v, i) => {
        const x = (i / (HISTORY - 1)) * w
        const y = h - (v / max) * (h - 2) - 1
        if (i === 0) g.moveTo(x, y)
        else g.lineTo(x, y)
      })
      g.stroke()
    }
    plot(this.rtts, maxRtt, '#4fc3f7')
    plot(this.losses, 1, '#ef5350')
    g.fillStyle = '#888'
    g.fillText(`${maxRtt.toFixed(0)} ms`, 2, 10)
  }
}
