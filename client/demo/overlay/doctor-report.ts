import { diagnoseConnectivity, type ConnectivityReport } from 'netplay-toolkit/client'
import { demoSchema } from '../../../shared/demo/demo-schema'
import { el } from '../ui/dom'

const yesNo = (ok: boolean | undefined, yes: string, no: string, unknown = 'not offered') => (ok === undefined ? unknown : ok ? yes : no)

/** One line a player (or whoever helps them) can read: which way works and how fast. */
function summary(r: ConnectivityReport): string {
  const rtt = r.rttMs[r.transport === 'none' ? 'webrtc' : r.transport]
  return [
    `Would use: ${r.transport}${rtt !== undefined ? ` (${rtt.toFixed(0)} ms round trip)` : ''}`,
    `UDP: ${yesNo(r.udp, 'reaches the server', 'blocked')}`,
    `TURN: ${yesNo(r.turn, 'works', 'failed')}`,
    `WebSocket: ${yesNo(r.websocket, 'works', 'failed')}`,
    `candidates: ${r.candidates.join(', ') || 'none'}`,
  ].join(' · ')
}

/**
 * The connectivity doctor in the page: runs `diagnoseConnectivity` against `url` (when connecting
 * failed, or on the "Check connection" button) and lists the result after `anchor`, replacing an
 * earlier report.
 */
export async function showDoctorReport(anchor: HTMLElement, url: string): Promise<void> {
  document.getElementById('doctor')?.remove()
  const report = el('ul', { class: 'doctor', id: 'doctor' }, [el('li', { text: 'Checking your connection…' })])
  anchor.after(report)
  try {
    const result = await diagnoseConnectivity(url, { schema: demoSchema, timeoutMs: 4000 })
    const lines = result.problems.map((p) => el('li', { text: p.message, 'data-code': p.code }))
    report.replaceChildren(el('li', { class: 'summary', text: summary(result), 'data-transport': result.transport }), ...(lines.length ? lines : [el('li', { text: 'No problems found.' })]))
  } catch (err) {
    report.replaceChildren(el('li', { text: `The check itself failed: ${err instanceof Error ? err.message : String(err)}` }))
  }
}
