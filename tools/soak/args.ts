/** `npm run soak` command line. */
export interface SoakOptions {
  minutes: number
  /** `all`: memory slope and event-loop lag too; `leaks`: maps, descriptors, failures only (short runs). */
  checks: 'all' | 'leaks'
  maxBots: number
  /** Seconds between churn steps. */
  churnEveryS: number
  json: string | undefined
  quiet: boolean
}

export const USAGE = 'usage: npm run soak -- [--minutes 5] [--checks all|leaks] [--max-bots 16] [--churn-every 3] [--json FILE] [--quiet]'

export function parseSoakArgs(argv: readonly string[]): SoakOptions {
  const o: SoakOptions = { minutes: 5, checks: 'all', maxBots: 16, churnEveryS: 3, json: undefined, quiet: false }
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!
    const v = argv[++i]
    const num = (min: number, max: number) => {
      const x = Number(v)
      if (v === undefined || !Number.isFinite(x) || x < min || x > max) throw new Error(`${flag} wants a number in ${min}..${max}, got ${v}`)
      return x
    }
    if (flag === '--minutes') o.minutes = num(0.5, 24 * 60)
    else if (flag === '--max-bots') o.maxBots = Math.floor(num(8, 200))
    else if (flag === '--churn-every') o.churnEveryS = num(0.5, 60)
    else if (flag === '--json') o.json = v
    else if (flag === '--checks' && (v === 'all' || v === 'leaks')) o.checks = v
    else if (flag === '--quiet') (o.quiet = true), i--
    else throw new Error(`unknown or bad option ${flag}`)
  }
  return o
}
