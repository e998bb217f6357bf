import net from 'node:net'

export interface RawReply {
  /** HTTP status of the (first) response, 0 if none came. */
  status: number
  /** Everything the server sent. */
  data: Buffer
  /** 'closed': the server closed; 'timeout': we gave up; 'error': connection error (reset...). */
  end: 'closed' | 'timeout' | 'error'
  ms: number
}

/**
 * Writes `bytes` on a fresh TCP connection and collects whatever comes back until the server closes
 * or `timeoutMs` passes. `halfClose` ends our side after writing (the server sees EOF).
 */
export function rawRequest(port: number, bytes: Buffer | string, options: { timeoutMs?: number; halfClose?: boolean; host?: string } = {}): Promise<RawReply> {
  const start = performance.now()
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    const socket = net.connect({ port, host: options.host ?? '127.0.0.1' })
    let settled = false
    const finish = (end: RawReply['end']) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      const data = Buffer.concat(chunks)
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(data.subarray(0, 32).toString('latin1'))?.[1] ?? 0)
      resolve({ status, data, end, ms: performance.now() - start })
    }
    const timer = setTimeout(() => finish('timeout'), options.timeoutMs ?? 3000)
    socket.on('data', (d: Buffer) => chunks.push(d))
    socket.on('end', () => finish('closed'))
    socket.on('close', () => finish('closed'))
    socket.on('error', () => finish('error'))
    socket.on('connect', () => {
      socket.write(bytes)
      if (options.halfClose) socket.end()
    })
  })
}

/** A request in wire form; `Connection: close` so the server ends the exchange. */
export function httpRequest(method: string, target: string, headers: Record<string, string | number> = {}, body: Buffer | string = ''): Buffer {
  const lines = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close']
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`)
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), Buffer.isBuffer(body) ? body : Buffer.from(body)])
}
