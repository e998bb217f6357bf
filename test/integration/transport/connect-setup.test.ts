import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GameServer } from '../../../server/index'
import { HARDENED_HTTP_OPTIONS } from '../../../server/transport/http-front-door'
import { connectClient } from '../../support/real-net'
import { testSchema, type TestSchema } from '../../support/test-schema'

/**
 * Connection setup without geckos' fixed waits: the offer leaves with the server's gathered candidates
 * beside it, and our client adds them once its answer is in, so it needs no candidate polling.
 */
describe('connection setup hands the candidates over with the offer', () => {
  let server: GameServer<TestSchema>
  let http1: http.Server
  let url: string
  let polls = 0

  beforeAll(async () => {
    server = new GameServer(testSchema, { bindAddress: process.env.NETPLAY_BIND })
    http1 = http.createServer(HARDENED_HTTP_OPTIONS)
    server.attach(http1)
    // The candidate polling route answers nothing: a client that depends on it cannot connect.
    const door = http1.listeners('request')[0] as (req: http.IncomingMessage, res: http.ServerResponse) => void
    http1.removeAllListeners('request')
    http1.on('request', (req, res) => {
      if (req.url?.includes('/additional-candidates')) {
        polls++
        res.writeHead(404).end()
        return
      }
      door(req, res)
    })
    await new Promise<void>((resolve) => http1.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(http1.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await server.close()
    http1.closeAllConnections()
    await new Promise((r) => http1.close(r))
  })

  it('replies to POST /connections with the host candidates beside an SDP that carries none', async () => {
    const res = await fetch(`${url}/.wrtc/v2/connections`, { method: 'POST' })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { id: string; localDescription: { sdp: string }; candidates: { candidate: string; sdpMid: string }[] }
    expect(body.candidates.length).toBeGreaterThan(0)
    expect(body.candidates[0]!.candidate).toMatch(/^candidate:.* typ host/)
    expect(body.candidates[0]!.sdpMid).toBe('0')
    // In the SDP, a client would start ICE before the server has its answer (its first DTLS flight lost, 1 s).
    expect(body.localDescription.sdp).not.toContain('a=candidate')
    await fetch(`${url}/.wrtc/v2/connections/${body.id}/close`, { method: 'POST' })
  })

  it('connects over WebRTC without a single answered candidate poll', async () => {
    const client = await connectClient(testSchema, url, { transport: 'webrtc', connectTimeoutMs: 15_000 })
    try {
      expect(client.stats().transport).toBe('webrtc')
    } finally {
      client.close()
    }
  })
})
