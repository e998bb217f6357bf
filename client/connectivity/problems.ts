/** Why a way to the server failed, each with a sentence a player can act on. */
export type ProblemCode =
  | 'no-candidates'
  | 'udp-blocked'
  | 'no-turn'
  | 'turn-refused'
  | 'turn-unreachable'
  | 'websocket-failed'
  | 'server-refused'
  | 'schema-mismatch'
  | 'server-unreachable'

const SENTENCES: Record<ProblemCode, string> = {
  'no-candidates': 'This device found no network address for WebRTC. Check that you are online and that no browser extension or policy disables WebRTC.',
  'udp-blocked': 'The game server cannot be reached over UDP: a firewall, VPN or corporate network is probably blocking it. The game can still run over the slower WebSocket fallback; for the best experience try another network or allow UDP.',
  'no-turn': 'No TURN relay is configured, so there is no way around a network that blocks direct UDP. Ask the server operator to set one up.',
  'turn-refused': 'The TURN relay refused our credentials (they may have expired). Reload the page to get fresh ones; if it persists, tell the server operator.',
  'turn-unreachable': 'The TURN relay did not answer. Your network may block it too; the WebSocket fallback is the remaining option.',
  'websocket-failed': 'The WebSocket fallback did not connect. A proxy may block WebSockets, or the server has the fallback turned off.',
  'server-refused': 'The game server refused the connection (not authorised, or too many connections). Sign in again or try later.',
  'schema-mismatch': 'This page was built for another version of the game server: reload the page.',
  'server-unreachable': 'The game server could not be reached by any route. Check your internet connection, or the server may be down.',
}

export function explainProblem(code: ProblemCode, detail?: string): string {
  return detail ? `${SENTENCES[code]} (${detail})` : SENTENCES[code]
}
