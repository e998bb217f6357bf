import { randomBytes } from 'node:crypto'

const BASE62 = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'

/**
 * The id of a peer connection in setup: 24 base62 characters (~143 bits) from the CSPRNG. It is the
 * only proof of ownership the setup routes accept, so it is given to the client that asked for the
 * connection and nobody else. Public ids (ServerConnection.id) are made apart, by `publicId()`.
 */
export function setupId(): string {
  let out = ''
  while (out.length < 24) {
    for (const b of randomBytes(32)) {
      if (b >= 248) continue // 248 = 4 * 62: above it `b % 62` would favour the first characters
      out += BASE62[b % 62]
      if (out.length === 24) break
    }
  }
  return out
}

/** A connection's public id: safe to show to other players, opens no route. */
export const publicId = (): string => `c-${randomBytes(9).toString('base64url')}`
