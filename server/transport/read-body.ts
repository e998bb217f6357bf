import type http from 'node:http'

/** Why a body could not be read, as the HTTP status to answer. */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 408 | 413,
    message: string,
  ) {
    super(message)
  }
}

/**
 * Reads a request body of at most `maxBytes` within `timeoutMs` (a slow sender is cut off, not
 * waited for). A declared Content-Length over the limit is refused before anything is read.
 */
export function readBody(req: http.IncomingMessage, maxBytes: number, timeoutMs: number): Promise<Buffer> {
  const declared = req.headers['content-length']
  if (declared !== undefined && !(Number(declared) <= maxBytes)) return Promise.reject(new BodyError(413, 'body too large'))
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const done = (err?: BodyError) => {
      clearTimeout(timer)
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
      req.off('aborted', onError)
      if (err) {
        req.pause()
        reject(err)
      } else resolve(Buffer.concat(chunks, size))
    }
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength
      if (size > maxBytes) return done(new BodyError(413, 'body too large'))
      chunks.push(chunk)
    }
    const onEnd = () => done()
    const onError = () => done(new BodyError(400, 'request aborted'))
    const timer = setTimeout(() => done(new BodyError(408, 'body too slow')), timeoutMs)
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
    req.on('aborted', onError)
  })
}
