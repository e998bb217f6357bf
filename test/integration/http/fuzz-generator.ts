/**
 * Deterministic generator of hostile HTTP requests for the front door and the static files: the same
 * seed gives the same requests. Each case says whether an offer may legitimately come back (exact
 * setup route, allowed or no Origin, right token); any other offer is a guard bypass.
 */
import { seededRandom } from '../../../shared/transport/random'

export const FUZZ_ALLOWED_ORIGIN = 'http://game.test'
export const FUZZ_TOKEN = 'fuzz-token-4e1d'
/** Replaced at send time by the setup id of a connection the fuzzer legitimately created, if any. */
export const KNOWN_ID = 'KNOWNIDPLACEHOLDER000000'

export interface FuzzCase {
  kind: 'path' | 'route' | 'per-connection' | 'headers' | 'body' | 'junk'
  bytes: Buffer
  /** End our side after writing: the request is deliberately incomplete and must not be waited on. */
  halfClose: boolean
  /** An offer in the answer is allowed (well-formed create with allowed credentials). */
  offerAllowed: boolean
  /** The same request for node:http when it is clean enough for it; otherwise raw TCP only. */
  http?: { method: string; path: string; headers: Record<string, string>; body: Buffer }
}

export function createGenerator(seed: number, rootName: string): () => FuzzCase {
  const rnd = seededRandom(seed)
  const int = (n: number) => Math.floor(rnd() * n)
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!
  const chance = (p: number) => rnd() < p
  const randomBytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)))

  const SEGMENTS = [
    '..', '.', '%2e%2e', '%2E%2E', '%2e.', '.%2e', '%252e%252e', '..%2f', '..%5c', '..\\', '%c0%ae%c0%ae', '%c0%af',
    '%e0%80%ae%e0%80%ae', '%uff0e%uff0e', '%00', '%2500', '\0', 'secret.txt', `${rootName}-x`, `${rootName}.txt`,
    `${rootName}-x%2fsecret.txt`, 'escape.txt', 'escape-dir', 'assets', 'app.js', 'index.html', '%E0%A4%A', '%', '%%',
    '%zz', '%ff', '%fe%ff', '%ED%A0%80', '%2f', '%5c', '', ';', '%3f', '%23', 'é', '%F0%9F%98%80', '~', '*', '.wrtc', 'v2',
  ]
  const JOINERS = ['/', '/', '/', '%2f', '%2F', '\\', '%5c', '//', '']
  const METHODS = ['GET', 'GET', 'POST', 'POST', 'OPTIONS', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'TRACE', 'post', 'FOO', 'CONNECT']
  const ORIGINS = [undefined, undefined, FUZZ_ALLOWED_ORIGIN, FUZZ_ALLOWED_ORIGIN, 'http://evil.test', 'null', '', 'http://game.test.evil.test', 'HTTP://GAME.TEST', `${FUZZ_ALLOWED_ORIGIN}/`, 'http://game.test:80']
  const AUTHS = [undefined, `Bearer ${FUZZ_TOKEN}`, `Bearer ${FUZZ_TOKEN}`, FUZZ_TOKEN, 'Bearer wrong', 'Bearer ', 'Basic Zm9vOmJhcg==', `Bearer ${FUZZ_TOKEN}x`, `bearer ${FUZZ_TOKEN}`, 'x'.repeat(9000)]
  const ACTIONS = ['remote-description', 'additional-candidates', 'close', 'close/', 'CLOSE', 'remote-description?x', 'x', '']
  const PREFIXES = ['', '', '', '/x', '/', '/.wrtc/v2/..', '/%2e', '/static', '/.wrtc', '/..', '/a/b']
  const SUFFIXES = ['', '', '', '/', '?', '?a=1', '#x', '%20', '/..', '.json', '%00', '\\', ';x', '//']

  const path = (): string => {
    const n = 1 + int(8)
    let p = ''
    for (let i = 0; i < n; i++) p += pick(JOINERS) + pick(SEGMENTS)
    if (chance(0.03)) p += 'a'.repeat(1000 + int(20_000)) // overlong
    return p.startsWith('/') || chance(0.05) ? p : `/${p}`
  }
  const mutateRoute = (route: string): string => {
    let r = pick(PREFIXES) + route + pick(SUFFIXES)
    if (chance(0.2)) r = r.replace(/\//g, () => (chance(0.2) ? '//' : '/'))
    if (chance(0.15)) r = [...r].map((c) => (chance(0.1) ? (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()) : c)).join('')
    if (chance(0.1)) {
      const i = int(r.length)
      r = r.slice(0, i) + `%${r.charCodeAt(i).toString(16).padStart(2, '0')}` + r.slice(i + 1)
    }
    return r
  }
  const id = () => pick([KNOWN_ID, KNOWN_ID, 'a'.repeat(24), 'c-AbCdEfGhIjKl', Array.from({ length: 24 }, () => pick([...'abcXYZ019'])).join(''), '0'.repeat(23), 'x'.repeat(25), '%41'.repeat(24), ''])

  const body = (): { bytes: Buffer; headers: [string, string][]; complete: boolean } => {
    switch (int(9)) {
      case 0:
        return { bytes: Buffer.alloc(0), headers: [], complete: true }
      case 1: {
        const b = Buffer.from(JSON.stringify({ type: pick(['answer', 'offer', 1]), sdp: pick(['v=0\r\n', 'garbage', 'v=0\r\na=' + 'x'.repeat(int(4000)), '']) }))
        return { bytes: b, headers: [['Content-Type', 'application/json'], ['Content-Length', String(b.length)]], complete: true }
      }
      case 2: {
        const b = randomBytes(int(2000))
        return { bytes: b, headers: [['Content-Length', String(b.length)]], complete: true }
      }
      case 3: {
        const b = Buffer.alloc(16 * 1024 + int(200_000), 0x7b)
        return { bytes: b, headers: [['Content-Length', String(b.length)]], complete: true }
      }
      case 4: {
        const b = randomBytes(int(100))
        return { bytes: b, headers: [['Content-Length', String(b.length + 1 + int(100_000))]], complete: false }
      }
      case 5: {
        const b = randomBytes(50 + int(100))
        return { bytes: b, headers: [['Content-Length', String(int(50))]], complete: true }
      }
      case 6:
        return { bytes: Buffer.alloc(0), headers: [['Content-Length', pick(['-1', 'abc', '1e3', ' 12', '0x10', '99999999999999999999', '1, 2'])]], complete: false }
      case 7: {
        const chunks = pick(['zz\r\nabc\r\n0\r\n\r\n', 'ffffffff\r\nabc', '5\r\nabc\r\n', '3\r\nabc\r\n0\r\n\r\n', '-1\r\n\r\n', '0\r\n', '4;ext=1\r\nabcd\r\n0\r\nX: y\r\n\r\n', `${(20_000).toString(16)}\r\n${'a'.repeat(20_000)}\r\n0\r\n\r\n`])
        return { bytes: Buffer.from(chunks), headers: [['Transfer-Encoding', pick(['chunked', 'chunked, gzip', 'CHUNKED', 'identity'])]], complete: false }
      }
      default:
        return { bytes: Buffer.from('0\r\n\r\n'), headers: [['Content-Length', '5'], ['Transfer-Encoding', 'chunked']], complete: false }
    }
  }

  const request = (kind: FuzzCase['kind'], method: string, target: string, extra: [string, string][] = [], b = body()): FuzzCase => {
    const origin = pick(ORIGINS)
    const auth = pick(AUTHS)
    const headers: [string, string][] = [['Host', '127.0.0.1'], ['Connection', chance(0.8) ? 'close' : 'keep-alive']]
    if (origin !== undefined) headers.push(['Origin', origin])
    if (auth !== undefined) headers.push(['Authorization', auth])
    headers.push(...extra, ...b.headers)
    const head = `${method} ${target} HTTP/1.1\r\n${headers.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`
    const bytes = Buffer.concat([Buffer.from(head, 'latin1'), b.bytes])
    // Only the exact create route, with allowed credentials and no second Origin, may return an offer.
    const offerCandidate = method === 'POST' && target === '/.wrtc/v2/connections' && !extra.some(([k]) => k.toLowerCase() === 'origin')
    const offerAllowed = offerCandidate && (origin === undefined || origin === FUZZ_ALLOWED_ORIGIN) && (auth === `Bearer ${FUZZ_TOKEN}` || auth === FUZZ_TOKEN)
    const clean = /^\/[\x21-\x7e]*$/.test(target) && /^[A-Z]+$/.test(method) && method !== 'CONNECT' && b.complete && extra.length === 0
    const fc: FuzzCase = { kind, bytes, halfClose: !b.complete || chance(0.3), offerAllowed }
    if (clean && chance(0.3)) fc.http = { method, path: target, headers: Object.fromEntries(headers.filter(([k]) => k !== 'Host' && k !== 'Connection')), body: b.bytes }
    return fc
  }

  const HEADER_JUNK: (() => [string, string][])[] = [
    () => [['X-Big', 'a'.repeat(pick([4000, 17_000, 70_000]))]],
    () => Array.from({ length: pick([50, 150, 3000]) }, (_, i): [string, string] => [`X-H${i}`, 'v']),
    () => [['X-Bad', 'a\u0001b']],
    () => [['Content-Length', '5'], ['Content-Length', '6']],
    () => [['Host', 'evil.test']],
    () => [['Origin', 'http://evil.test']], // a second Origin: whichever the server reads, no offer
    () => [['X-Ünïcode', 'ünï']],
    () => [[' X-Space', 'v']],
  ]
  const JUNK = [
    () => randomBytes(1 + int(3000)),
    () => Buffer.from(`${pick(METHODS)}\r\n\r\n`),
    () => Buffer.from(`GET / HTTP/${pick(['9.9', '0.9', '1', '2.0', '1.1.1', 'x'])}\r\n\r\n`),
    () => Buffer.from(`GET /${'a'.repeat(70_000 + int(50_000))} HTTP/1.1\r\n\r\n`),
    () => Buffer.from('GET / HTTP/1.1\nHost: x\n\n'),
    () => Buffer.from('\r\n\r\n\r\n'),
    () => Buffer.from(`GET ${path()}`),
    () => Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'),
    () => Buffer.from(`GET / HTTP/1.1\r\nHost: x\r\n${'X: y\r\n'.repeat(int(10))}`),
  ]

  return () => {
    const r = rnd()
    if (r < 0.3) return request('path', chance(0.85) ? pick(['GET', 'HEAD']) : pick(METHODS), path(), [], chance(0.8) ? { bytes: Buffer.alloc(0), headers: [], complete: true } : body())
    if (r < 0.55) {
      const exact = chance(0.3)
      const target = exact ? '/.wrtc/v2/connections' : mutateRoute('/.wrtc/v2/connections')
      const method = chance(0.7) ? 'POST' : pick(METHODS)
      return request('route', method, target, [], chance(0.7) ? { bytes: Buffer.alloc(0), headers: [['Content-Length', '0']], complete: true } : body())
    }
    if (r < 0.7) {
      const route = `/.wrtc/v2/connections/${id()}/${pick(ACTIONS)}`
      return request('per-connection', pick(['POST', 'POST', 'GET', 'OPTIONS', 'PUT']), chance(0.7) ? route : mutateRoute(route))
    }
    if (r < 0.8) return request('headers', pick(['GET', 'POST']), pick(['/', '/.wrtc/v2/connections', path()]), pick(HEADER_JUNK)())
    if (r < 0.9) return request('body', pick(['POST', 'GET', 'PUT']), pick(['/', '/.wrtc/v2/connections', `/.wrtc/v2/connections/${KNOWN_ID}/remote-description`, path()]))
    return { kind: 'junk', bytes: pick(JUNK)(), halfClose: chance(0.8), offerAllowed: false }
  }
}
