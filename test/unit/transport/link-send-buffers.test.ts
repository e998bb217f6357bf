import { describe, expect, it } from 'vitest'
import { decodeMessage } from '../../../shared/schema/index'
import { Link } from '../../../shared/transport/index'
import type { DataPipe } from '../../../shared/transport/pipe'
import { testSchema } from '../../support/test-schema'

/** Keeps every frame it is given, as a pipe that queues without copying would. */
class KeepingPipe implements DataPipe {
  readonly maxMessageSize = 256 * 1024
  readonly frames: Uint8Array[] = []
  /** What each frame held at the moment it was sent. */
  readonly atSend: number[][] = []
  constructor(readonly copiesOnSend: boolean | undefined) {}
  send(bytes: Uint8Array): void {
    this.frames.push(bytes)
    this.atSend.push([...bytes])
  }
  bufferedAmount(): number {
    return 0
  }
  onBufferedAmountLow(_t: number, onLow: () => void): void {
    queueMicrotask(onLow)
  }
  onMessage(): void {}
}

function sendStates(copiesOnSend: boolean | undefined): KeepingPipe {
  const unreliable = new KeepingPipe(copiesOnSend)
  const link = new Link(testSchema, { unreliable, reliable: new KeepingPipe(copiesOnSend) }, 'server')
  for (let seq = 1; seq <= 3; seq++) link.send('state', { seq, sentAt: seq * 1000, pad: new Uint8Array(seq * 10).fill(seq) })
  link.close('closed', '', false)
  return unreliable
}

const seqOf = (frame: Uint8Array | number[]) => {
  const d = decodeMessage(testSchema, Uint8Array.from(frame).subarray(2), 'toClient')
  if (!d.ok) throw d.error
  return (d.data as { seq: number }).seq
}

describe('Link: unreliable send buffers', () => {
  it('gives each frame bytes of its own when the pipe may keep them', () => {
    const pipe = sendStates(undefined)
    expect(pipe.frames.map(seqOf)).toEqual([1, 2, 3])
    expect(pipe.frames.map((f) => [...f])).toEqual(pipe.atSend)
    expect(new Set(pipe.frames.map((f) => f.buffer)).size).toBe(3)
  })

  it('reuses one buffer for a pipe that copies on send, every frame correct when it was sent', () => {
    const pipe = sendStates(true)
    expect(pipe.atSend.map(seqOf)).toEqual([1, 2, 3])
    // Sequence numbers 0, 1, 2 in the header, as before.
    expect(pipe.atSend.map((f) => f[0]! | (f[1]! << 8))).toEqual([0, 1, 2])
    expect(new Set(pipe.frames.map((f) => f.buffer)).size).toBe(1)
  })
})
