import { describe, expect, it, vi } from 'vitest'
import { PendingRequests } from '../../../client/lobby/requests'
import { LobbyState } from '../../../client/lobby/state'
import { LobbyError } from '../../../shared/lobby/index'

const room = { id: 'r1', name: 'Duel', owner: 'a', capacity: 2, size: 1, hasPassword: false, meta: [{ key: 'mode', value: 'ctf' }] }

describe("LobbyState (the client's copy)", () => {
  it('applies welcome, joins, changes, pings and leaves', () => {
    const s = new LobbyState()
    s.reset([{ id: 'a', name: 'Ann', status: 'online', ping: 3 }], [room])
    expect(s.rooms.get('r1')!.meta).toEqual({ mode: 'ctf' })
    s.addPeer({ id: 'b', name: 'Ben', status: 'online', ping: 5 })
    const before = s.peers.get('b')
    const r = s.changePeer({ id: 'b', room: 'r1', status: 'away' })
    expect(r).toEqual({ peer: { id: 'b', name: 'Ben', status: 'away', ping: 5, room: 'r1' }, change: { room: 'r1', status: 'away' } })
    expect(s.peers.get('b')).not.toBe(before) // replaced, not mutated
    const left = s.changePeer({ id: 'b', room: '' })!
    expect(left.change).toEqual({ room: undefined })
    expect('room' in left.peer).toBe(false)
    expect(s.changePeer({ id: 'nobody', status: 'away' })).toBeUndefined()
    expect(s.setPings([{ id: 'a', ping: 3 }, { id: 'b', ping: 40 }, { id: 'x', ping: 1 }]).map((p) => p.id)).toEqual(['b'])
    expect(s.removePeer('a')!.name).toBe('Ann')
    expect([...s.peers.keys()]).toEqual(['b'])
  })
})

describe('PendingRequests', () => {
  it('settles by request id, and fails everything on disconnect or timeout', async () => {
    vi.useFakeTimers()
    try {
      const p = new PendingRequests(1000)
      const a = p.open()
      const b = p.open()
      const c = p.open()
      expect(b.rid).toBe(a.rid + 1)
      p.resolve(b.rid, 'room1')
      expect(await b.reply).toBe('room1')
      expect(p.fail(a.rid, new LobbyError('room-full', 'full'))).toBe(true)
      await expect(a.reply).rejects.toMatchObject({ code: 'room-full', detail: 'full' })
      expect(p.fail(999, new LobbyError('room-full', 'x'))).toBe(false)
      vi.advanceTimersByTime(1001)
      await expect(c.reply).rejects.toMatchObject({ code: 'disconnected' })
      const d = p.open()
      p.failAll(new LobbyError('disconnected', 'gone'))
      await expect(d.reply).rejects.toMatchObject({ code: 'disconnected', detail: 'gone' })
    } finally {
      vi.useRealTimers()
    }
  })
})
