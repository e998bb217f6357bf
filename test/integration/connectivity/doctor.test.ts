import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { diagnoseConnectivity } from '../../../client/connectivity/index'
import type { GameServer } from '../../../server/index'
import { startServer } from '../../support/real-net'
import { testSchema, type TestSchema } from '../../support/test-schema'
import { canRunTurn, startTurn, type TurnServer } from '../../support/turn'

const turnCheck = canRunTurn()
if (!turnCheck.ok && process.env.CI === 'true') throw new Error(`CI=true but ${turnCheck.why}`)

describe('connectivity doctor on plain loopback', () => {
  let server: GameServer<TestSchema>
  let url: string
  let turn: TurnServer | undefined

  beforeAll(async () => {
    if (turnCheck.ok) turn = await startTurn({ secret: 'doctor-secret' })
    ;({ server, url } = await startServer(testSchema, { websocket: {}, ...(turn ? { turn: { urls: [turn.url], secret: 'doctor-secret' } } : {}) }))
  }, 30_000)
  afterAll(async () => {
    await server.close()
    await turn?.stop()
  })

  it('finds UDP, TURN and the WebSocket working, and would use WebRTC', async () => {
    const report = await diagnoseConnectivity(url, { schema: testSchema })
    expect(report).toMatchObject({ udp: true, websocket: true, transport: 'webrtc', problems: [] })
    expect(report.candidates).toContain('host')
    if (turn) {
      expect(report.turn).toBe(true)
      expect(report.candidates).toContain('relay')
    }
    expect(report.rttMs.webrtc).toBeGreaterThan(0)
  }, 60_000)

  it('explains a WebSocket fallback that the server has turned off', async () => {
    const { server: bare, url: bareUrl } = await startServer(testSchema)
    try {
      const report = await diagnoseConnectivity(bareUrl, { schema: testSchema, timeoutMs: 3000 })
      expect(report.transport).toBe('webrtc')
      expect(report.problems.map((p) => p.code)).toEqual(['websocket-failed'])
      expect(report.problems[0]!.message).toMatch(/WebSocket/)
    } finally {
      await bare.close()
    }
  }, 60_000)
})
