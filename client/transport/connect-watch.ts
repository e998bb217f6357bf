/** What ICE gathering found on one RTCPeerConnection: the candidate types, and when it finished. */
export interface GatheringReport {
  /** `host`, `srflx`, `prflx`, `relay`, each once. */
  types: Set<string>
  complete: boolean
}

export function candidateType(candidate: string): string | undefined {
  return /\btyp (\w+)/.exec(candidate)?.[1]
}

/**
 * Follows gathering on `pc`; `onComplete` runs once gathering is over. A relay-only connection whose
 * gathering ends without a relay candidate can never connect: the TURN server refused the
 * credentials or could not be reached, which the caller reports at once instead of timing out.
 */
export function watchGathering(pc: RTCPeerConnection, onComplete: (report: GatheringReport) => void): GatheringReport {
  const report: GatheringReport = { types: new Set(), complete: false }
  const finish = () => {
    if (report.complete) return
    report.complete = true
    // libdatachannel announces `complete` before it dispatches the last candidates; the local
    // description lists them all.
    setTimeout(() => {
      for (const line of pc.localDescription?.sdp.split('\n') ?? []) {
        const type = line.startsWith('a=candidate:') ? candidateType(line) : undefined
        if (type) report.types.add(type)
      }
      onComplete(report)
    }, 100)
  }
  pc.addEventListener('icecandidate', (ev: RTCPeerConnectionIceEvent) => {
    if (!ev.candidate || !ev.candidate.candidate) return finish()
    const type = candidateType(ev.candidate.candidate)
    if (type) report.types.add(type)
  })
  pc.addEventListener('icegatheringstatechange', () => {
    if (pc.iceGatheringState === 'complete') finish()
  })
  return report
}
