/** A small hand-written SVG line chart: server CPU per client-tick against N, one line per kind. */
import type { CapacityResults } from './capacity'

const W = 800
const H = 360
const PAD = { left: 60, right: 200, top: 30, bottom: 45 }
const COLORS: Record<keyof CapacityResults, string> = {
  ours: '#d6336c',
  oursLarge: '#f59f00',
  geckos: '#1c7ed6',
  geckosDuplex: '#0ca678',
  oursBefore: '#f3a5bf',
  oursLargeBefore: '#fcd38d',
}
const LABELS: Record<keyof CapacityResults, string> = {
  ours: 'ours, 8-player rooms',
  oursLarge: 'ours, one room + interest',
  geckos: 'raw geckos floor',
  geckosDuplex: 'floor + 60 Hz inputs in',
  oursBefore: 'ours, 8-player (before)',
  oursLargeBefore: 'ours, one room (before)',
}

export function capacityChartSvg(r: CapacityResults, note: string): string {
  const ns = Object.keys(r.ours).map(Number).sort((a, b) => a - b)
  const all = (Object.keys(r) as (keyof CapacityResults)[]).flatMap((k) => Object.values(r[k] ?? {}).map((x) => x.cpuUsPerClientTick).filter(Number.isFinite))
  const yMax = Math.max(1, ...all) * 1.1
  const xMax = Math.max(...ns)
  const x = (n: number) => PAD.left + (n / xMax) * (W - PAD.left - PAD.right)
  const y = (v: number) => H - PAD.bottom - (v / yMax) * (H - PAD.top - PAD.bottom)
  const parts: string[] = []
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`)
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`)
  parts.push(`<text x="${PAD.left}" y="18" font-size="14">Server CPU per client-tick (µs) against bots connected</text>`)
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4
    parts.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`)
    parts.push(`<text x="${PAD.left - 6}" y="${y(v) + 4}" text-anchor="end">${Math.round(v)}</text>`)
  }
  for (const n of ns) parts.push(`<text x="${x(n)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${n}</text>`)
  parts.push(`<text x="${(PAD.left + W - PAD.right) / 2}" y="${H - 10}" text-anchor="middle">bots (N)</text>`)
  let legendY = PAD.top + 10
  for (const kind of Object.keys(COLORS) as (keyof CapacityResults)[]) {
    const rows = r[kind]
    if (!rows) continue
    const pts = ns.filter((n) => rows[n] && Number.isFinite(rows[n].cpuUsPerClientTick)).map((n) => `${x(n).toFixed(1)},${y(rows[n]!.cpuUsPerClientTick).toFixed(1)}`)
    parts.push(`<polyline fill="none" stroke="${COLORS[kind]}" stroke-width="2" points="${pts.join(' ')}"/>`)
    for (const p of pts) parts.push(`<circle cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="3" fill="${COLORS[kind]}"/>`)
    parts.push(`<rect x="${W - PAD.right + 10}" y="${legendY - 9}" width="12" height="3" fill="${COLORS[kind]}"/><text x="${W - PAD.right + 26}" y="${legendY - 4}">${LABELS[kind]}</text>`)
    legendY += 18
  }
  parts.push(`<text x="${PAD.left}" y="${H - 28 + 26}" font-size="10" fill="#666">${escapeXml(note)}</text>`)
  parts.push('</svg>')
  return parts.join('\n') + '\n'
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
