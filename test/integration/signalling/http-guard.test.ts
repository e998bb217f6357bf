import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConnectError, type GameClient } from '../../../client/index'
import { GameServer } from '../../../server/index'
import { connectClient } from '../../support/real-net'
import { appSchema, type AppSchema } from '../files/support'

const ALLOWED = 'http://game.test'
const FAKE_ID = 'a'.repeat(24)

interface Reply {
  status: number
  headers: http.IncomingHttpHeaders
}

/** A raw HTTP request; `body` is written in pieces so a server may answer before it has all of it. */
function request(port: number, method: string, path: string, headers: http.OutgoingHttpHeaders, body?: { total: number; sendFirst: number }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      res.resume()
      resolve({ status: res.statusCode ?? 0, headers: res.headers })
      req.destroy()
    })
    req.on('error', (err) => (err.message.includes('socket hang up') ? undefined : reject(err)))
    if (body) req.write(Buffer.alloc(body.sendFirst, 0x7b))
    else req.end()
  })
}

describe('connection-setup HTTP guard', () => {
  let httpServer: http.Server
  let server: GameServer<AppSchema>
  let port: number
  const clients: GameClient<AppSchema>[] = []

  beforeAll(async () => {
    server = new GameServer(appSchema, {
      bindAddress: process.env.NETPLAY_BIND,
      connectGuard: { allowedOrigins: [ALLOWED], maxBodyBytes: 16 * 1024, token: 'secret' },
      handshakeTimeoutMs: 5000,
    })
    httpServer = http.createServer((_req, res) => res.end('game page')) // its listener becomes the app handler
    server.attach(httpServer)
    await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r))
    port = (httpServer.address() as AddressInfo).port
  })
  afterAll(async () => {
    for (const c of clients) c.close()
    await server.close()
    httpServer.closeAllConnections()
    await new Promise((r) => httpServer.close(r))
  })

  it('lets a client with the token connect, and leaves other routes alone', async () => {
    clients.push(await connectClient(appSchema, `http://127.0.0.1:${port}`, { authorization: 'Bearer secret' }))
    expect(clients[0]!.connected).toBe(true)
    const page = await fetch(`http://127.0.0.1:${port}/`)
    expect(await page.text()).toBe('game page')
  })

  it('refuses a connection without the token', async () => {
    const before = server.connectStats.unauthorized
    await expect(connectClient(appSchema, `http://127.0.0.1:${port}`, { authorization: 'Bearer wrong', connectTimeoutMs: 3000 })).rejects.toBeInstanceOf(ConnectError)
    expect(server.connectStats.unauthorized).toBe(before + 1)
    const res = await request(port, 'POST', '/.wrtc/v2/connections', {})
    expect(res.status).toBe(401)
    expect((await fetch(`http://127.0.0.1:${port}/.wrtc/v2/connections`, { method: 'POST', headers: { Authorization: 'Bearer wrong' } })).status).toBe(401)
    expect(await connectClient(appSchema, `http://127.0.0.1:${port}`, { connectTimeoutMs: 3000 }).catch((e: ConnectError) => e.reason)).toBe('unauthorized')
  })

  it('refuses an oversized body with 413 before reading it', async () => {
    const path = `/.wrtc/v2/connections`
    const auth = { Authorization: 'Bearer secret' }
    const declared = await request(port, 'POST', path, { ...auth, 'Content-Type': 'application/json', 'Content-Length': 1024 * 1024 }, { total: 1024 * 1024, sendFirst: 1024 })
    expect(declared.status).toBe(413)
    // Chunked, no Content-Length: counted as it arrives.
    const chunked = await request(port, 'POST', path, { ...auth, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }, { total: 64 * 1024, sendFirst: 64 * 1024 })
    expect(chunked.status).toBe(413)
    expect(server.connectStats.tooLarge).toBe(2)
    // A per-connection route with an id that is not in setup: 404 before any body is read.
    const small = await fetch(`http://127.0.0.1:${port}/.wrtc/v2/connections/${FAKE_ID}/remote-description`, { method: 'POST', body: JSON.stringify({ sdp: 'x', type: 'answer' }) })
    expect(small.status).toBe(404)
  })

  it('refuses a wrong origin and echoes an allowed one instead of *', async () => {
    const evil = await request(port, 'POST', '/.wrtc/v2/connections', { Origin: 'http://evil.test', Authorization: 'Bearer secret' })
    expect(evil.status).toBe(403)
    const preflight = await request(port, 'OPTIONS', '/.wrtc/v2/connections', { Origin: 'http://evil.test' })
    expect(preflight.status).toBe(403)
    const ok = await request(port, 'OPTIONS', '/.wrtc/v2/connections', { Origin: ALLOWED })
    expect(ok.status).toBe(204)
    expect(ok.headers['access-control-allow-origin']).toBe(ALLOWED)
    expect(server.connectStats.badOrigin).toBe(2)
  })

  it('limits new peer connections per address', async () => {
    const limited = new GameServer(appSchema, { bindAddress: process.env.NETPLAY_BIND, connectGuard: { connectRate: { perMinute: 6, burst: 2 } }, handshakeTimeoutMs: 1000 })
    const p = await limited.listen(0, '127.0.0.1')
    const statuses: number[] = []
    for (let i = 0; i < 3; i++) statuses.push((await request(p, 'POST', '/.wrtc/v2/connections', {})).status)
    expect(statuses).toEqual([200, 200, 429])
    await limited.close()
  })
})
