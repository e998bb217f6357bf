import { describe, expect, it } from 'vitest'
import { addCandidatesOnceAnswered, parseCandidates } from '../../../client/transport/early-candidates'

const host = { candidate: 'candidate:1 1 UDP 2114977791 127.0.0.1 40830 typ host', sdpMid: '0' }

describe('the server candidates handed over with the offer', () => {
  it('keeps only short, plain candidate lines (network input)', () => {
    expect(parseCandidates([host, { ...host, candidate: 'a=' + host.candidate }])).toHaveLength(2)
    expect(parseCandidates('x')).toEqual([])
    expect(parseCandidates([null, 1, {}, { candidate: 'candidate:x', sdpMid: 7 }, { candidate: 'evil\r\na=x', sdpMid: '0' }])).toEqual([])
    expect(parseCandidates([{ candidate: 'candidate:' + 'x'.repeat(600), sdpMid: '0' }, { ...host, sdpMid: '0000' }])).toEqual([])
    expect(parseCandidates(Array.from({ length: 100 }, () => host))).toHaveLength(16)
  })

  it("adds them when geckos registers its second datachannel listener (its answer's POST returned), and each only once", async () => {
    const added: string[] = []
    const listeners: string[] = []
    const pc = {
      addIceCandidate: (c: RTCIceCandidateInit) => {
        added.push(c.candidate ?? '')
        return Promise.resolve()
      },
      addEventListener: (type: string) => void listeners.push(type),
    } as unknown as RTCPeerConnection
    addCandidatesOnceAnswered(pc, [host])
    pc.addEventListener('datachannel', () => undefined)
    expect(added).toEqual([]) // the answer has not reached the server yet
    pc.addEventListener('datachannel', () => undefined)
    expect(added).toEqual([host.candidate])
    // geckos' candidate poll brings the same one again: skipped.
    await pc.addIceCandidate({ candidate: host.candidate, sdpMid: '0' })
    expect(added).toEqual([host.candidate])
    expect(listeners).toEqual(['datachannel', 'datachannel'])
  })
})
