/** Interpolation helpers shared by the interpolation buffer, lag compensation and prediction smoothing. */

/** An entity state as the netcode sees it: named numeric fields (positions, angles, health...). */
export type NumericState = Readonly<Record<string, number>>

const TAU = Math.PI * 2

export function lerp(a: number, b: number, t: number): number {
  return a + (b - a) * t
}

/** Signed difference `b - a` of two angles in radians, taken the short way round: in [-PI, PI). */
export function angleDelta(a: number, b: number): number {
  const d = (b - a) % TAU
  if (d >= Math.PI) return d - TAU
  if (d < -Math.PI) return d + TAU
  return d
}

/** Normalises an angle to [-PI, PI), the range a `t.quantized({ min: -PI, max: PI })` field carries. */
export function wrapAngle(a: number): number {
  return angleDelta(0, a)
}

/**
 * Interpolates (0 <= t <= 1) or extrapolates (t > 1) every field of `b` from `a`.
 * Fields named in `angles` go the short way round and stay in [-PI, PI); fields missing from `a` take `b`'s value.
 */
export function lerpState<S extends NumericState>(a: S, b: S, t: number, angles: ReadonlySet<string>): S {
  const out: Record<string, number> = {}
  for (const key of Object.keys(b)) {
    const to = b[key]!
    const from = a[key]
    if (from === undefined) out[key] = to
    else if (angles.has(key)) out[key] = wrapAngle(from + angleDelta(from, to) * t)
    else out[key] = lerp(from, to, t)
  }
  return out as S
}

export function isFiniteState(s: NumericState): boolean {
  for (const key of Object.keys(s)) if (!Number.isFinite(s[key])) return false
  return true
}
