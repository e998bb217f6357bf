/** Random ids and secrets, and constant-time comparison of secrets. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'

/** `length` base62 characters from the system CSPRNG (rejection sampling keeps them uniform). */
export function shortId(length = 8): string {
  let out = ''
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b >= 248) continue // 248 = 4 * 62: above it, `b % 62` would favour the first characters
      out += ALPHABET[b % 62]
      if (out.length === length) break
    }
  }
  return out
}

/** A 128-bit secret as 32 hex characters. */
export function newToken(): string {
  return randomBytes(16).toString('hex')
}

export const isToken = (s: string): boolean => /^[0-9a-f]{32}$/.test(s)

/** SHA-256: secrets are kept and compared as digests, which all have the same length. */
export function digest(...parts: (string | Buffer)[]): Buffer {
  const h = createHash('sha256')
  for (const p of parts) h.update(p)
  return h.digest()
}

/** Constant time for equal-length inputs (digests always are). */
export function sameDigest(a: Buffer, b: Buffer): boolean {
  return a.byteLength === b.byteLength && timingSafeEqual(a, b)
}

export const salt = (): Buffer => randomBytes(16)
