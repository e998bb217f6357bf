/**
 * The HTTP routes of WebRTC connection setup (geckos.io 3.x's protocol, which @geckos.io/client
 * speaks), matched exactly: geckos' own patterns are not anchored, so `/x/.wrtc/v2/connections`
 * reached them. Anything that is not one of these exact strings is not connection setup.
 */
export const CONNECT_PREFIX = '/.wrtc/v2'

export type ConnectRoute =
  | { kind: 'create' }
  | { kind: 'remote-description'; id: string }
  | { kind: 'additional-candidates'; id: string }
  | { kind: 'close'; id: string }

/** geckos' id shape: 24 base62 characters (ours come from the CSPRNG, see setup-ids.ts). */
const ID = '[0-9A-Za-z]{24}'
const PER_CONNECTION = new RegExp(`^${CONNECT_PREFIX.replace('.', '\\.')}/connections/(${ID})/(remote-description|additional-candidates|close)$`)

/** Which method each route answers (preflights aside). */
const METHODS: Record<ConnectRoute['kind'], string> = {
  create: 'POST',
  'remote-description': 'POST',
  'additional-candidates': 'GET',
  close: 'POST',
}

/**
 * The route `url` names (request target exactly as sent: no query, no normalisation), or undefined.
 * The method is checked separately so a wrong one gets 405 rather than falling through.
 */
export function matchConnectRoute(url: string): ConnectRoute | undefined {
  if (url === `${CONNECT_PREFIX}/connections`) return { kind: 'create' }
  const m = PER_CONNECTION.exec(url)
  if (!m) return undefined
  return { kind: m[2] as 'remote-description' | 'additional-candidates' | 'close', id: m[1]! }
}

export const routeMethod = (route: ConnectRoute): string => METHODS[route.kind]

/** Paths under the setup prefix that match no route: answered 404 here, never given to the app. */
export const isUnderConnectPrefix = (url: string): boolean => url === CONNECT_PREFIX || url.startsWith(`${CONNECT_PREFIX}/`)
