import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { httpRequest, rawRequest } from './raw-http'
import { startServerProcess, type ServerProcess } from './server-process'
import { makeSite, SECRET_MARKER, type Site } from './static-root'

/** Defect: one malformed escape ended `npm start`; `startsWith` without a separator served `<root>-x`. */
describe('static files of the demo server', () => {
  let site: Site
  let server: ServerProcess

  beforeAll(async () => {
    site = makeSite()
    server = await startServerProcess({ kind: 'demo', root: site.root })
  })
  afterAll(async () => {
    await server?.stop()
    site?.cleanup()
  })

  it('survives a malformed escape and answers 400', async () => {
    const reply = await rawRequest(server.port, httpRequest('GET', '/%E0%A4%A'))
    await new Promise((r) => setTimeout(r, 300)) // an unhandled rejection ends the process right after
    expect(server.exit).toBeUndefined()
    expect(reply.status).toBe(400)
    for (const target of ['/%', '/%zz', '/%C0%AE', '/a%E0%A4', '/%ED%A0%80']) {
      expect((await rawRequest(server.port, httpRequest('GET', target))).status).toBeGreaterThanOrEqual(400)
    }
    await new Promise((r) => setTimeout(r, 300))
    expect(server.exit).toBeUndefined()
    const page = await fetch(`http://127.0.0.1:${server.port}/`)
    expect(await page.text()).toContain('<title>game</title>')
  })

  it('never serves a file outside the root: sibling folder, encoded traversal, symlinks', async () => {
    const name = site.rootName
    const targets = [
      `/..%2f${name}-x%2fsecret.txt`,
      `/..%2F${name}-x/secret.txt`,
      `/%2e%2e%2f${name}-x%2fsecret.txt`,
      `/..%2fsecret.txt`,
      `/..%2f${name}.txt`,
      `/..%5csecret.txt`,
      `/%2e%2e%5c${name}-x%5csecret.txt`,
      `/%252e%252e%252fsecret.txt`,
      `/%c0%ae%c0%ae%c0%afsecret.txt`,
      `/escape.txt`,
      `/escape-dir/secret.txt`,
      `/assets/..%2f..%2f${name}-x%2fsecret.txt`,
      `/..%2f${name}-x%2fsecret.txt%00.html`,
      `/../${name}-x/secret.txt`,
      `/..\\${name}-x\\secret.txt`,
    ]
    for (const target of targets) {
      const reply = await rawRequest(server.port, httpRequest('GET', target))
      expect(reply.data.toString('latin1'), target).not.toContain(SECRET_MARKER)
    }
    expect(server.exit).toBeUndefined()
    // Files inside the root are still served.
    const js = await rawRequest(server.port, httpRequest('GET', '/assets/app.js'))
    expect(js.status).toBe(200)
    expect(js.data.toString()).toContain('console.log("game")')
  })
})
