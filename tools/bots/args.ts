/** `npm run bots` command line: parsed and checked before any process starts. */
import { isLoopbackUrl } from './source-address'

export interface BotsOptions {
  /** As given: one origin, or several separated by commas (the nodes of a cluster). */
  url: string
  /** The origins; the bots of room k play on `urls[k % urls.length]`, so a room's bots share a node. */
  urls: string[]
  /** Bots in all. */
  n: number
  /** Child processes the bots are spread over. */
  procs: number
  /** Room name prefix: bots fill `<room>-1`, `<room>-2`, ... `roomSize` at a time. */
  room: string
  roomSize: number
  /** Seconds of measured play once every bot has connected (or failed). */
  duration: number
  /** Chat lines per second per bot (0: none). */
  chat: number
  /** Each bot offers a small file to its room every few seconds. */
  files: boolean
  /** New bots started per second, over all processes. */
  ramp: number
  /** A bot not playing this long after it started counts as failed. */
  connectTimeoutS: number
  /** Loopback targets: each bot signals from its own 127.1.x.y (default); false: all from one address. */
  ownAddresses: boolean
  json: string | undefined
  /** Live lines to stdout (off for --quiet). */
  quiet: boolean
}

export const USAGE = `usage: npm run bots -- --url URL[,URL...] --n 200 [--procs 3] [--room NAME] [--room-size 8] [--duration 60]
                      [--chat RATE] [--files] [--ramp PER_SEC] [--connect-timeout S] [--one-address] [--json FILE] [--quiet]`

export function parseArgs(argv: readonly string[]): BotsOptions {
  const o: BotsOptions = { url: '', urls: [], n: 10, procs: 1, room: 'bots', roomSize: 8, duration: 30, chat: 0, files: false, ramp: 20, connectTimeoutS: 30, ownAddresses: true, json: undefined, quiet: false }
  const num = (name: string, v: string | undefined, min: number, max: number, integer = true): number => {
    const x = Number(v)
    if (v === undefined || !Number.isFinite(x) || x < min || x > max || (integer && !Number.isInteger(x))) throw new Error(`--${name} wants a number in ${min}..${max}, got ${v}`)
    return x
  }
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!
    const value = () => argv[++i]
    switch (flag) {
      case '--url': o.url = value() ?? ''; break
      case '--n': o.n = num('n', value(), 1, 5000); break
      case '--procs': o.procs = num('procs', value(), 1, 64); break
      case '--room': o.room = value() ?? ''; break
      case '--room-size': o.roomSize = num('room-size', value(), 1, 64); break
      case '--duration': o.duration = num('duration', value(), 0, 86_400, false); break
      case '--chat': o.chat = num('chat', value(), 0, 10, false); break
      case '--files': o.files = true; break
      case '--ramp': o.ramp = num('ramp', value(), 0.1, 1000, false); break
      case '--connect-timeout': o.connectTimeoutS = num('connect-timeout', value(), 1, 600, false); break
      case '--one-address': o.ownAddresses = false; break
      case '--json': o.json = value(); break
      case '--quiet': o.quiet = true; break
      default: throw new Error(`unknown option ${flag}`)
    }
  }
  o.urls = o.url.split(',').map((u) => u.trim()).filter(Boolean)
  if (o.urls.length === 0 || !o.urls.every((u) => /^https?:\/\/[^/]+/.test(u))) throw new Error('--url wants the server origin, e.g. http://127.0.0.1:8080 (or several, comma-separated)')
  if (o.urls.length > 64) throw new Error('--url takes at most 64 origins')
  if (!/^[\w-]{1,20}$/.test(o.room)) throw new Error('--room wants 1-20 letters, digits, _ or -')
  o.procs = Math.min(o.procs, o.n)
  o.ownAddresses &&= o.urls.every(isLoopbackUrl)
  return o
}
