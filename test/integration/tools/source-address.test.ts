/**
 * Bots against a loopback server each signal from their own address (the demo server limits new
 * connections per address). Real sockets: a node:http server reports the address it saw.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isLoopbackUrl, sourceAddress, sourceAddressOf } from '../../../tools/bots/source-address'

describe('bots: one loopback source address per bot', () => {
  let server: http.Server
  let url = ''
  beforeAll(async () => {
    server = http.createServer((req, res) => res.end(req.socket.remoteAddress))
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))

  it('gives distinct addresses in 127.1.0.0/16', () => {
    const all = new Set(Array.from({ length: 5000 }, (_, i) => sourceAddressOf(i)))
    expect(all.size).toBe(5000)
    for (const a of all) expect(a).toMatch(/^127\.1\.\d{1,3}\.\d{1,3}$/)
    expect(isLoopbackUrl('http://127.0.0.1:8080')).toBe(true)
    expect(isLoopbackUrl('http://localhost:8080')).toBe(true)
    expect(isLoopbackUrl('https://play.example.org')).toBe(false)
  })

  it("sends each bot's fetches, later timers included, from its address; others from the default", async () => {
    const seen = async () => (await (await fetch(url)).text()).replace('::ffff:', '')
    const a = await sourceAddress(sourceAddressOf(0))
    const b = await sourceAddress(sourceAddressOf(1))
    try {
      expect(await a.run(seen)).toBe('127.1.0.1')
      expect(await b.run(seen)).toBe('127.1.0.2')
      // geckos polls for candidates from timers set during connect: the address follows them.
      const later = await a.run(() => new Promise<string>((resolve) => setTimeout(() => void seen().then(resolve), 20)))
      expect(later).toBe('127.1.0.1')
      expect(await seen()).toBe('127.0.0.1')
    } finally {
      a.release()
      b.release()
    }
  })
})
