/** The soak's verdicts: a least-squares memory slope and named pass/fail checks with their figures. */

/** Slope of y over x by ordinary least squares; NaN with fewer than 3 points. */
export function leastSquaresSlope(points: readonly { x: number; y: number }[]): number {
  const n = points.length
  if (n < 3) return Number.NaN
  let sx = 0
  let sy = 0
  for (const p of points) {
    sx += p.x
    sy += p.y
  }
  const mx = sx / n
  const my = sy / n
  let num = 0
  let den = 0
  for (const p of points) {
    num += (p.x - mx) * (p.y - my)
    den += (p.x - mx) ** 2
  }
  return den === 0 ? Number.NaN : num / den
}

export interface Check {
  ok: boolean
  value: number | string
  limit: string
  /** Reported, not asserted (the short form leaves out what a minute cannot measure). */
  informational?: boolean
}

export function check(value: number, limit: number, op: '<' | '<=' | '==', informational = false): Check {
  const ok = op === '<' ? value < limit : op === '<=' ? value <= limit : value === limit
  return { ok: ok || informational, value: Number.isFinite(value) ? Math.round(value * 1000) / 1000 : String(value), limit: `${op} ${limit}`, ...(informational ? { informational } : {}) }
}

export function checksText(checks: Record<string, Check>): string {
  return Object.entries(checks)
    .map(([name, c]) => `  ${c.informational ? 'info' : c.ok ? 'ok  ' : 'FAIL'}  ${name.padEnd(22)} ${String(c.value).padStart(9)}  (${c.limit})`)
    .join('\n')
}
