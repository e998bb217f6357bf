/** 16-bit sequence numbers that wrap; comparisons are valid within half the range. */
export const SEQ_MOD = 0x10000

/** How far `a` is ahead of `b` (negative if behind), wrap-safe. */
export function seqDiff(a: number, b: number): number {
  const d = (a - b) & 0xffff
  return d >= 0x8000 ? d - SEQ_MOD : d
}

export function seqNext(a: number): number {
  return (a + 1) & 0xffff
}
