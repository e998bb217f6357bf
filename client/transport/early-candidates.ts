/**
 * The server's ICE candidates, handed over with its offer (`candidates` in the `POST /connections`
 * reply), added as soon as our answer has reached the server. geckos' client would otherwise learn
 * them by polling `additional-candidates` on a back-off whose first poll is ~50 ms out, which was
 * most of the setup time on a LAN.
 *
 * Not earlier: a client that knows the server's address at once finishes ICE before the server has
 * our answer, and its first DTLS flight is dropped there (retransmitted after 1 s). geckos 3.1's
 * `connect()` registers its second `datachannel` listener right after the answer's POST returns:
 * that is the moment. The polls still run and stay the fallback; candidates they bring twice are
 * skipped (geckos adds them without catching a rejection).
 */
const MAX_CANDIDATES = 16
const MAX_TEXT = 512

export interface EarlyCandidate {
  candidate: string
  sdpMid: string
}

export function addCandidatesOnceAnswered(pc: RTCPeerConnection, offered: unknown): void {
  const candidates = parseCandidates(offered)
  const added = new Set<string>()
  const add = pc.addIceCandidate.bind(pc)
  pc.addIceCandidate = ((c?: RTCIceCandidateInit | null) => {
    const text = c?.candidate
    if (text) {
      if (added.has(text)) return Promise.resolve()
      added.add(text)
    }
    return add(c as RTCIceCandidateInit).catch(() => undefined)
  }) as RTCPeerConnection['addIceCandidate']
  if (candidates.length === 0) return
  const listen = pc.addEventListener.bind(pc)
  let datachannelListeners = 0
  pc.addEventListener = ((type: string, ...rest: unknown[]) => {
    if (type === 'datachannel' && ++datachannelListeners === 2) {
      for (const c of candidates) void pc.addIceCandidate(c)
    }
    return (listen as (type: string, ...args: unknown[]) => void)(type, ...rest)
  }) as RTCPeerConnection['addEventListener']
}

/** Network input: a short list of `{ candidate, sdpMid }` with plain candidate lines. */
export function parseCandidates(value: unknown): EarlyCandidate[] {
  if (!Array.isArray(value)) return []
  const out: EarlyCandidate[] = []
  for (const item of value.slice(0, MAX_CANDIDATES)) {
    if (typeof item !== 'object' || item === null) continue
    const { candidate, sdpMid } = item as Record<string, unknown>
    if (typeof candidate !== 'string' || candidate.length > MAX_TEXT || !/^(a=)?candidate:/.test(candidate) || /[\r\n\0]/.test(candidate)) continue
    if (typeof sdpMid !== 'string' || sdpMid.length === 0 || sdpMid.length > 3) continue
    out.push({ candidate, sdpMid })
  }
  return out
}
