import { describe, expect, it } from 'vitest'
import { WebSocketPipes } from '../../../shared/transport/websocket-pipes'

class FakeSocket {
  bufferedAmount = 0
  readyState = 1
  sent: Uint8Array[] = []
  send(data: Uint8Array): void {
    this.sent.push(data)
  }
}

const frame = (seq: number, id: number) => new Uint8Array([seq & 0xff, seq >> 8, id, 42])

describe('WebSocketPipes', () => {
  it('unreliable frames never pile up behind a busy socket: the newest per message replaces older unsent ones', async () => {
    const socket = new FakeSocket()
    const pipes = new WebSocketPipes(socket)
    pipes.unreliable.send(frame(0, 20))
    expect(socket.sent).toHaveLength(1)
    socket.bufferedAmount = 50_000 // TCP is backed up
    for (let seq = 1; seq <= 10; seq++) pipes.unreliable.send(frame(seq, 20))
    pipes.unreliable.send(frame(11, 21))
    await new Promise((r) => setTimeout(r, 30))
    expect(socket.sent).toHaveLength(1)
    socket.bufferedAmount = 0
    await new Promise((r) => setTimeout(r, 30))
    // One frame per message id, the newest: seq 10 of message 20 and seq 11 of message 21, tagged unreliable (0).
    expect(socket.sent.slice(1).map((f) => [f[0], f[1], f[3]])).toEqual([
      [0, 10, 20],
      [0, 11, 21],
    ])
    expect(pipes.superseded).toBe(9)
  })

  it('reliable frames are tagged and sent in order whatever the buffer holds', () => {
    const socket = new FakeSocket()
    const pipes = new WebSocketPipes(socket)
    socket.bufferedAmount = 1 << 20
    for (let i = 0; i < 5; i++) pipes.reliable.send(new Uint8Array([i]))
    expect(socket.sent.map((f) => [...f])).toEqual([0, 1, 2, 3, 4].map((i) => [1, i]))
    expect(pipes.reliable.bufferedAmount()).toBe(1 << 20)
  })

  it('routes received frames by tag; unknown tags and text reach the reliable side as text (which the link refuses)', () => {
    const pipes = new WebSocketPipes(new FakeSocket())
    const un: unknown[] = []
    const rel: unknown[] = []
    pipes.unreliable.onMessage((f) => un.push(f))
    pipes.reliable.onMessage((f) => rel.push(f))
    pipes.receive(new Uint8Array([0, 1, 2, 3]).buffer)
    pipes.receive(new Uint8Array([1, 9]).buffer)
    pipes.receive(new Uint8Array([7, 9]).buffer)
    pipes.receive('hi')
    expect(un.map((f) => [...(f as Uint8Array)])).toEqual([[1, 2, 3]])
    expect(rel).toEqual([new Uint8Array([9]), '', 'hi'])
  })
})
