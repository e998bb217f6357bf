import { describe, expect, it } from 'vitest'
import type { PeerInfo } from '../../../shared/lobby/index'
import type { RoomWire } from '../../../server/lobby/backplane'
import { RemoteView } from '../../../server/cluster/remote-view'

const peer = (id: string, extra: Partial<PeerInfo> = {}): PeerInfo => ({ id, name: id.toUpperCase(), status: 'online', ping: 5, ...extra })
const room = (id: string, size = 1): RoomWire => ({ id, name: id, owner: 'a', capacity: 4, size, hasPassword: false, meta: [] })

describe('RemoteView: other nodes as deltas for local clients', () => {
  it('turns a second join of a known peer (taken over by another node) into a change', () => {
    const v = new RemoteView()
    expect(v.apply('n1', { name: 'presenceJoin', payload: { peer: peer('a', { room: 'r1' }) } })?.name).toBe('presenceJoin')
    const moved = v.apply('n2', { name: 'presenceJoin', payload: { peer: peer('a') } })
    expect(moved).toEqual({ name: 'presenceChange', payload: { id: 'a', name: 'A', room: '', status: 'online', ping: 5 } })
    expect(v.nodeOfPeer('a')).toBe('n2')
    // The old node's late deltas about that peer no longer count.
    expect(v.apply('n1', { name: 'presenceLeave', payload: { id: 'a', reason: 'left' } })).toBeUndefined()
    expect(v.apply('n1', { name: 'presenceChange', payload: { id: 'a', status: 'away' } })).toBeUndefined()
    expect(v.peer('a')?.status).toBe('online')
  })

  it('keeps pings only for the sending node\'s peers', () => {
    const v = new RemoteView()
    v.apply('n1', { name: 'presenceJoin', payload: { peer: peer('a') } })
    v.apply('n2', { name: 'presenceJoin', payload: { peer: peer('b') } })
    const out = v.apply('n1', { name: 'presencePings', payload: { pings: [{ id: 'a', ping: 40 }, { id: 'b', ping: 99 }] } })
    expect(out).toEqual({ name: 'presencePings', payload: { pings: [{ id: 'a', ping: 40 }] } })
    expect(v.peer('b')?.ping).toBe(5)
  })

  it('diffs a snapshot in a safe order: rooms added, peers, peers gone, rooms gone', () => {
    const v = new RemoteView()
    v.applySnapshot('n1', [peer('a'), peer('b', { room: 'old' })], [room('old')])
    const out = v.applySnapshot('n1', [peer('a', { room: 'new', status: 'away' }), peer('c')], [room('new')])
    expect(out.map((d) => d.name)).toEqual(['roomAdded', 'presenceChange', 'presenceJoin', 'presenceLeave', 'roomRemoved'])
    // Another node's records are not touched by n1's snapshot.
    v.apply('n2', { name: 'presenceJoin', payload: { peer: peer('z') } })
    expect(v.applySnapshot('n1', [], []).map((d) => d.name)).toEqual(['presenceLeave', 'presenceLeave', 'roomRemoved'])
    expect(v.peer('z')).toBeDefined()
  })

  it('drops a dead node: its peers leave as disconnected, its rooms close', () => {
    const v = new RemoteView()
    v.applySnapshot('n1', [peer('a'), peer('b')], [room('r')])
    const { deltas, peers } = v.dropNode('n1')
    expect(peers.sort()).toEqual(['a', 'b'])
    expect(deltas).toContainEqual({ name: 'presenceLeave', payload: { id: 'a', reason: 'disconnected' } })
    expect(deltas.at(-1)).toEqual({ name: 'roomRemoved', payload: { id: 'r' } })
    expect(v.peers.size + v.rooms.size).toBe(0)
  })
})
