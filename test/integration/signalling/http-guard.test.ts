import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConnectError, type GameClient } from '../../../client/index'
import { createSignallingGuard, type SignallingGuard } from '../../../server/http/signalling-guard'
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

describe('signalling HTTP guard', () => {
  let httpServer: http.Server
  let server: GameServer<AppSchema>
  let guard: SignallingGuard
  let port: number
  const clients: GameClient<AppSchema>[] = []

  beforeAll(async () => {
    guard = createSignallingGuard({ allowedOrigins: [ALLOWED], maxBodyBytes: 16 * 1024, token: 'secret' })
    server = new GameServer(appSchema, { bindAddress: process.env.NETPLAY_BIND, cors: { origin: guard.corsOrigin }, handshakeTimeoutMs: 2000 })
    httpServer = http.createServer((_req, res) => res.end('game page'))
    guard.install(httpServer) // before attach: the guard does not depend on the order
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
    const before = guard.stats.unauthorized
    await expect(connectClient(appSchema, `http://127.0.0.1:${port}`, { authorization: 'Bearer wrong', connectTimeoutMs: 3000 })).rejects.toBeInstanceOf(ConnectError)
    expect(guard.stats.unauthorized).toBe(before + 1)
    const res = await request(port, 'POST', '/.wrtc/v2/connections', {})
    expect(res.status).toBe(401)
  })

  it('refuses an oversized body with 413 before reading it', async () => {
    const path = `/.wrtc/v2/connections/${FAKE_ID}/remote-description`
    const declared = await request(port, 'POST', path, { 'Content-Type': 'application/json', 'Content-Length': 1024 * 1024 }, { total: 1024 * 1024, sendFirst: 1024 })
    expect(declared.status).toBe(413)
    // Chunked, no Content-Length: counted as it arrives.
    const chunked = await request(port, 'POST', path, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }, { total: 64 * 1024, sendFirst: 64 * 1024 })
    expect(chunked.status).toBe(413)
    expect(guard.stats.tooLarge).toBe(2)
    // A body under the limit reaches geckos (which answers 404: no such peer connection).
    const small = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', body: JSON.stringify({ sdp: 'x', type: 'answer' }) })
    expect(small.status).toBe(404)
  })

  it('refuses a wrong origin and echoes an allowed one instead of *', async () => {
    const evil = await request(port, 'POST', '/.wrtc/v2/connections', { Origin: 'http://evil.test', Authorization: 'Bearer secret' })
    expect(evil.status).toBe(403)
    const preflight = await request(port, 'OPTIONS', '/.wrtc/v2/connections', { Origin: 'http://evil.test' })
    expect(preflight.status).toBe(403)
    const ok = await request(port, 'OPTIONS', '/.wrtc/v2/connections', { Origin: ALLOWED })
    expect(ok.status).toBe(200)
    expect(ok.headers['access-control-allow-origin']).toBe(ALLOWED)
    expect(guard.stats.badOrigin).toBe(2)
  })

  it('limits new peer connections per address', async () => {
    const plain = http.createServer((_req, res) => res.end('passed'))
    const limited = createSignallingGuard({ allowedOrigins: [], connectRate: { perMinute: 6, burst: 2 } })
    limited.install(plain)
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r))
    const p = (plain.address() as AddressInfo).port
    const statuses: number[] = []
    for (let i = 0; i < 3; i++) statuses.push((await request(p, 'POST', '/.wrtc/v2/connections', {})).status)
    expect(statuses).toEqual([200, 200, 429])
    plain.closeAllConnections()
    await new Promise((r) => plain.close(r))
  })
})
