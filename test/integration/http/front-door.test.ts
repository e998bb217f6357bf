import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { httpRequest, rawRequest } from './raw-http'
import { startServerProcess, type ServerProcess } from './server-process'
import { makeSite, type Site } from './static-root'

const FOREIGN = 'http://evil.test'
const ALLOWED = 'http://game.test'
const TOKEN = 'front-door-token'
const isOffer = (data: Buffer) => /localDescription|"sdp"|v=0\r?\n/.test(data.toString('latin1'))

/** Every spelling of the setup route that is not the exact one. */
const VARIANTS = [
  '/x/.wrtc/v2/connections',
  '/Xwrtc/v2/connections',
  '//.wrtc/v2/connections',
  '/a/b/c/.wrtc/v2/connections',
  '/.wrtc/v2/connections/',
  '/.wrtc/v2/connections?x=1',
  '/.wrtc/v2//connections',
  '/.WRTC/v2/connections',
  '/.wrtc/v2/../.wrtc/v2/connections',
  '/%2ewrtc/v2/connections',
  '/static/.wrtc/v2/connections',
]

/** Defect: geckos' unanchored route patterns let `POST /x/.wrtc/v2/connections` past a prefix guard. */
describe('HTTP front door: only the exact setup routes reach WebRTC', () => {
  let site: Site
  let demo: ServerProcess
  let guarded: ServerProcess

  beforeAll(async () => {
    site = makeSite()
    ;[demo, guarded] = await Promise.all([
      startServerProcess({ kind: 'demo', root: site.root }),
      startServerProcess({ kind: 'guarded', root: site.root, token: TOKEN, allowedOrigin: ALLOWED }),
    ])
  })
  afterAll(async () => {
    await Promise.all([demo?.stop(), guarded?.stop()])
    site?.cleanup()
  })

  it('gives no offer to a foreign Origin on any route variant (demo server)', async () => {
    for (const target of VARIANTS) {
      const reply = await rawRequest(demo.port, httpRequest('POST', target, { Origin: FOREIGN, 'Content-Length': 0 }))
      expect(isOffer(reply.data), `${target} -> ${reply.data.toString('latin1').slice(0, 200)}`).toBe(false)
    }
    const exact = await rawRequest(demo.port, httpRequest('POST', '/.wrtc/v2/connections', { Origin: FOREIGN, 'Content-Length': 0 }))
    expect(exact.status).toBe(403)
    expect(demo.exit).toBeUndefined()
  })

  it('gives no offer without the token on any route variant, and one with it on the exact route', async () => {
    for (const target of VARIANTS) {
      for (const headers of [{}, { Origin: ALLOWED }, { Origin: ALLOWED, Authorization: 'Bearer wrong' }] as Record<string, string>[]) {
        const reply = await rawRequest(guarded.port, httpRequest('POST', target, { ...headers, 'Content-Length': 0 }))
        expect(isOffer(reply.data), `${target} ${JSON.stringify(headers)}`).toBe(false)
      }
    }
    const ok = await rawRequest(guarded.port, httpRequest('POST', '/.wrtc/v2/connections', { Origin: ALLOWED, Authorization: `Bearer ${TOKEN}`, 'Content-Length': 0 }))
    expect(ok.status).toBe(200)
    expect(isOffer(ok.data)).toBe(true)
    expect(guarded.exit).toBeUndefined()
  })

  it('answers unknown setup paths 404 and everything else from the app handler', async () => {
    expect((await rawRequest(guarded.port, httpRequest('GET', '/.wrtc/v2/whatever'))).status).toBe(404)
    expect((await rawRequest(guarded.port, httpRequest('GET', '/.wrtc/v2/connections'))).status).toBe(405)
    const page = await rawRequest(guarded.port, httpRequest('GET', '/some/page'))
    expect(page.status).toBe(200)
    expect(page.data.toString()).toContain('<title>game</title>')
  })
})
