import { afterEach, describe, expect, it, vi } from 'vitest'
import { Emitter, ListenerError } from '../../../shared/transport/emitter'

type Events = { tick: [n: number]; error: [ListenerError] }

describe('Emitter', () => {
  afterEach(() => vi.restoreAllMocks())

  it('calls every listener even when one throws, and reports the throw through the hook', () => {
    const reported: ListenerError[] = []
    const e = new Emitter<Events>({ onListenerError: (err) => reported.push(err) })
    const seen: string[] = []
    e.on('tick', () => seen.push('a'))
    e.on('tick', () => {
      throw new Error('boom')
    })
    e.on('tick', (n) => seen.push(`c${n}`))
    expect(() => e.emit('tick', 7)).not.toThrow()
    expect(seen).toEqual(['a', 'c7'])
    expect(reported).toHaveLength(1)
    expect(reported[0]!.event).toBe('tick')
    expect((reported[0]!.cause as Error).message).toBe('boom')
  })

  it('routes to an error event; a throwing error listener does not loop and is logged', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const e: Emitter<Events> = new Emitter<Events>({ onListenerError: (err) => e.emit('error', err) })
    let errors = 0
    e.on('error', () => {
      errors++
      throw new Error('error listener broke too')
    })
    e.on('tick', () => {
      throw new Error('first')
    })
    e.emit('tick', 1)
    expect(errors).toBe(1)
    expect(log).toHaveBeenCalledTimes(1)
    // The emitter still works afterwards.
    e.emit('tick', 2)
    expect(errors).toBe(2)
  })

  it('without a hook, a throwing listener is logged, not swallowed, and the rest still run', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const e = new Emitter<Events>()
    let after = 0
    e.on('tick', () => {
      throw new Error('x')
    })
    e.on('tick', () => after++)
    e.emit('tick', 1)
    expect(after).toBe(1)
    expect(log).toHaveBeenCalledWith(expect.any(ListenerError))
  })

  it('a hook that throws falls back to the log', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const e = new Emitter<Events>({
      onListenerError: () => {
        throw new Error('hook')
      },
    })
    e.on('tick', () => {
      throw new Error('x')
    })
    e.emit('tick', 1)
    expect(log).toHaveBeenCalledTimes(1)
  })
})
