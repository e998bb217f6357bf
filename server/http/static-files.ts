import { createReadStream, existsSync, statSync } from 'node:fs'
import type http from 'node:http'
import { extname, join, normalize, resolve } from 'node:path'

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

/** Serves a built client folder (index.html for unknown paths), with the CSP above. */
export function serveStatic(root: string, options: { connectOrigins?: readonly string[] } = {}): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const base = resolve(root)
  const csp = contentSecurityPolicy(options.connectOrigins)
  return (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    let file = normalize(join(base, path))
    if (!file.startsWith(base)) {
      res.statusCode = 403
      return res.end()
    }
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(base, 'index.html')
    if (!existsSync(file)) {
      res.statusCode = 404
      return res.end('client not built: run `npm start` (it builds first)')
    }
    res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream')
    res.setHeader('Content-Security-Policy', csp)
    res.setHeader('X-Content-Type-Options', 'nosniff')
    createReadStream(file).pipe(res)
  }
}
