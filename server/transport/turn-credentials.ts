import { createHmac } from 'node:crypto'

/**
 * Time-limited TURN credentials, the "TURN REST" scheme coturn checks with `use-auth-secret` /
 * `static-auth-secret`: username = `<expiry unix seconds>:<user>`, credential =
 * base64(HMAC-SHA1(secret, username)). Nothing is stored: coturn recomputes the HMAC and refuses the
 * allocation once the expiry has passed.
 */
export interface TurnRestOptions {
  /** TURN server URLs, e.g. `['turn:turn.example.org:3478?transport=udp', 'turn:turn.example.org:3478?transport=tcp']`. */
  urls: string[]
  /** coturn's `static-auth-secret`. Never sent to clients. */
  secret: string
  /** How long minted credentials stay valid; default one day (a session longer than that renews on reconnect). */
  ttlSeconds?: number
}

export interface TurnCredential {
  username: string
  credential: string
  /** Unix seconds. */
  expiresAt: number
}

export function mintTurnCredential(secret: string, user: string, ttlSeconds: number, nowMs = Date.now()): TurnCredential {
  const expiresAt = Math.floor(nowMs / 1000) + Math.max(1, Math.floor(ttlSeconds))
  const username = `${expiresAt}:${user}`
  const credential = createHmac('sha1', secret).update(username).digest('base64')
  return { username, credential, expiresAt }
}

/** A fresh RTCIceServer for `user` (the server's connection id, so coturn's log names the player). */
export function mintTurnServer(turn: TurnRestOptions, user: string, nowMs = Date.now()): RTCIceServer {
  const { username, credential } = mintTurnCredential(turn.secret, user, turn.ttlSeconds ?? 86_400, nowMs)
  return { urls: [...turn.urls], username, credential }
}

/**
 * RTCIceServer entries as libdatachannel takes them: one URL string each, with the credentials inside
 * (`turn:user:pass@host:port?transport=udp`), percent-encoded (REST usernames hold a `:`, base64
 * credentials `+`, `/` and `=`; libdatachannel decodes them). geckos.io's server keeps only `urls`
 * of each entry, which silently drops `username` and `credential`: hand it these instead.
 */
export function iceServersWithCredentialsInUrl(servers: readonly RTCIceServer[]): { urls: string }[] {
  const out: { urls: string }[] = []
  for (const server of servers) {
    const urls = Array.isArray(server.urls) ? server.urls : [server.urls as string]
    for (const url of urls) out.push({ urls: credentialsInUrl(url, server.username, typeof server.credential === 'string' ? server.credential : undefined) })
  }
  return out
}

export function credentialsInUrl(url: string, username: string | undefined, credential: string | undefined): string {
  if (!username || !/^turns?:/i.test(url)) return url
  const colon = url.indexOf(':')
  const scheme = url.slice(0, colon)
  const rest = url.slice(colon + 1).replace(/^\/\//, '')
  return `${scheme}:${encodeURIComponent(username)}:${encodeURIComponent(credential ?? '')}@${rest}`
}
