import { createReadStream } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import type http from 'node:http'
import { extname, join, resolve, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
}

/** No inline scripts, no third-party origins: chat text, names and file names can never become code. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; connect-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

/** The CSP above, with more origins the page may connect to (scale-out: the other nodes of a cluster). */
export function contentSecurityPolicy(connectOrigins: readonly string[] = []): string {
  if (connectOrigins.length === 0) return CONTENT_SECURITY_POLICY
  return CONTENT_SECURITY_POLICY.replace("connect-src 'self' blob:", `connect-src 'self' blob: ${connectOrigins.join(' ')}`)
}

const MAX_URL_LENGTH = 2048

/**
 * Serves a built client folder (index.html for unknown paths), with the CSP above. Only files whose
 * real path (symlinks resolved) lies inside the root are served; a request that cannot be decoded is
 * a 400, never an exception.
 */
export function serveStatic(root: string, options: { connectOrigins?: readonly string[] } = {}): (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> {
  const base = resolve(root)
  const csp = contentSecurityPolicy(options.connectOrigins)
  let realBase: string | undefined
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return answer(res, 405, 'method not allowed', { Allow: 'GET, HEAD' })
    const path = requestPath(req.url)
    if (path === undefined) return answer(res, 400, 'bad path')
    realBase ??= await realpath(base).catch(() => base)
    const file = (await inside(realBase, join(base, path))) ?? (await inside(realBase, join(base, 'index.html')))
    if (!file) return answer(res, 404, 'client not built: run `npm start` (it builds first)')
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
    })
    if (req.method === 'HEAD') return void res.end()
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res)
  }
}

/** The decoded path of a request target, or undefined if it is malformed or suspicious. */
function requestPath(url: string | undefined): string | undefined {
  if (!url || url.length > MAX_URL_LENGTH || !url.startsWith('/')) return undefined
  const raw = url.split(/[?#]/, 1)[0]!
  let path: string
  try {
    path = decodeURIComponent(raw)
  } catch {
    return undefined // a malformed escape such as %E0%A4%A
  }
  // NUL ends C strings in the file system; backslashes are separators elsewhere; no dot segments at all.
  if (path.includes('\0') || path.includes('\\') || path.split('/').some((s) => s === '..' || s === '.')) return undefined
  return path
}

/** `file` if it is a regular file whose real path is under `realBase` (with a separator: `<root>-x` is outside). */
async function inside(realBase: string, file: string): Promise<string | undefined> {
  try {
    const real = await realpath(file)
    if (!real.startsWith(realBase + sep)) return undefined
    return (await stat(real)).isFile() ? real : undefined
  } catch {
    return undefined
  }
}

function answer(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers })
  res.end(body)
}
