import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RoomInfo } from '../../../shared/lobby/index'
import { rawRequest, startLobby, waitFor, type Player, type Rig } from './lobby-net'

describe('lobby rooms over real WebRTC', () => {
  let rig: Rig
  let ann: Player
  let ben: Player
  let cat: Player
  let dan: Player
  const serverEvents: string[] = []
  const roomChanges: string[] = []

  beforeAll(async () => {
    rig = await startLobby({ lobby: { maxCapacity: 8 } })
    const e = rig.lobby.events
    e.on('roomCreated', (r) => serverEvents.push(`created ${r.name}`))
    e.on('roomClosed', (r) => serverEvents.push(`closed ${r.name}`))
    e.on('memberJoined', (roomId, peerId) => serverEvents.push(`+${rig.lobby.nameOf(peerId)} ${rig.lobby.room(roomId)?.name}`))
    e.on('memberLeft', (_roomId, peerId, reason) => serverEvents.push(`-${rig.lobby.nameOf(peerId)} ${reason}`))
    rig.lobby.onRoomChanged((peerId, roomId) => roomChanges.push(`${rig.lobby.nameOf(peerId)}:${roomId === undefined ? '-' : rig.lobby.room(roomId)?.name}`))
    ann = await rig.joined('Ann')
    ben = await rig.joined('Ben')
    cat = await rig.joined('Cat')
    dan = await rig.joined('Dan')
  })
  afterAll(() => rig.close())

  const seenBy = (p: Player, roomId: string) => p.lobby.rooms.get(roomId)

  it('lists a new room to everyone, with hasPassword but never the password', async () => {
    const raw: unknown[] = []
    dan.game.on('roomAdded', (d) => raw.push(d))
    const room = await ann.lobby.createRoom({ name: '  Duel  ', capacity: 2, password: 's3cret', meta: { mode: 'ctf', map: 'dust' } })
    const expected: RoomInfo = { id: room.id, name: 'Duel', owner: ann.lobby.self!.id, capacity: 2, size: 1, hasPassword: true, meta: { mode: 'ctf', map: 'dust' } }
    expect(room).toEqual(expected)
    await waitFor(() => !!seenBy(dan, room.id), 5000, 'Dan to see the room')
    expect(seenBy(dan, room.id)).toEqual(expected)
    expect(JSON.stringify(raw)).not.toContain('s3cret')
    expect(ann.lobby.self!.room).toBe(room.id)
    expect(rig.lobby.roomOf(ann.lobby.self!.id)).toBe(room.id)
    // A newcomer gets the room in its welcome.
    const eve = await rig.joined('Eve')
    expect(eve.lobby.rooms.get(room.id)).toEqual(expected)
  })

  it('checks the password and the capacity', async () => {
    const room = ann.lobby.room!
    await expect(ben.lobby.joinRoom(room.id)).rejects.toMatchObject({ code: 'wrong-password' })
    await expect(ben.lobby.joinRoom(room.id, 's3creT')).rejects.toMatchObject({ code: 'wrong-password' })
    const joined = await ben.lobby.joinRoom(room.id, 's3cret')
    expect(joined.size).toBe(2)
    expect(ben.lobby.self!.room).toBe(room.id)
    await expect(cat.lobby.joinRoom(room.id, 's3cret')).rejects.toMatchObject({ code: 'room-full' })
    await expect(cat.lobby.joinRoom('nope')).rejects.toMatchObject({ code: 'unknown-room' })
    await waitFor(() => seenBy(dan, room.id)?.size === 2, 5000, 'Dan to see 2 of 2')
    expect(cat.lobby.self!.room).toBeUndefined()
  })

  it('refuses bad room requests', async () => {
    for (const capacity of [0, 9]) await expect(cat.lobby.createRoom({ name: 'x', capacity })).rejects.toMatchObject({ code: 'invalid-request' })
    await expect(cat.lobby.createRoom({ name: 'bad\u202Ename', capacity: 2 })).rejects.toMatchObject({ code: 'invalid-request' })
    await expect(cat.lobby.createRoom({ name: 'x', capacity: 2, meta: { 'no spaces': 'x' } })).rejects.toMatchObject({ code: 'invalid-request' })
    await expect(cat.lobby.leaveRoom()).rejects.toMatchObject({ code: 'not-in-room' })
    await expect(cat.lobby.kick(ann.lobby.self!.id)).rejects.toMatchObject({ code: 'not-in-room' })
  })

  it('lets only the owner kick; a kicked member is told and may not come back', async () => {
    const room = ann.lobby.room!
    await expect(ben.lobby.kick(ann.lobby.self!.id)).rejects.toMatchObject({ code: 'not-owner' })
    await expect(ann.lobby.kick(cat.lobby.self!.id)).rejects.toMatchObject({ code: 'unknown-peer' })
    const kicked = new Promise<[string, string]>((r) => ben.lobby.events.on('kicked', (roomId, by) => r([roomId, by])))
    await ann.lobby.kick(ben.lobby.self!.id)
    expect(await kicked).toEqual([room.id, ann.lobby.self!.id])
    await waitFor(() => ben.lobby.self!.room === undefined && seenBy(dan, room.id)?.size === 1, 5000, 'Ben out of the room everywhere')
    await expect(ben.lobby.joinRoom(room.id, 's3cret')).rejects.toMatchObject({ code: 'banned' })
    expect(rig.lobby.roomMembers(room.id)).toEqual([ann.lobby.self!.id])
  })

  it('hands ownership to the longest-present member, and closes the room when the last one leaves', async () => {
    const room = await cat.lobby.createRoom({ name: 'Party', capacity: 8 })
    await dan.lobby.joinRoom(room.id) // Dan first ...
    await ben.lobby.joinRoom(room.id) // ... then Ben
    await cat.lobby.leaveRoom()
    await waitFor(() => seenBy(ann, room.id)?.owner === dan.lobby.self!.id, 5000, 'Dan to own Party')
    expect(seenBy(ann, room.id)!.size).toBe(2)
    await dan.lobby.leaveRoom()
    await waitFor(() => seenBy(ann, room.id)?.owner === ben.lobby.self!.id, 5000, 'Ben to own Party')
    // The owner can kick now; the old owner cannot.
    await expect(dan.lobby.kick(ben.lobby.self!.id)).rejects.toMatchObject({ code: 'not-in-room' })
    await ben.lobby.leaveRoom()
    await waitFor(() => [ann, ben, cat, dan].every((p) => !p.lobby.rooms.has(room.id)), 5000, 'Party gone everywhere')
    expect(rig.lobby.room(room.id)).toBeUndefined()
  })

  it('moves a member who joins another room out of the first', async () => {
    const a = await cat.lobby.createRoom({ name: 'A', capacity: 4 })
    const b = await dan.lobby.createRoom({ name: 'B', capacity: 4 })
    await cat.lobby.joinRoom(b.id)
    expect(cat.lobby.self!.room).toBe(b.id)
    await waitFor(() => !seenBy(ann, a.id) && seenBy(ann, b.id)?.size === 2, 5000, 'A closed, B with two')
  })

  it('told the server-side hooks everything, in order', () => {
    expect(serverEvents).toEqual([
      'created Duel',
      '+Ann Duel',
      '+Ben Duel',
      '-Ben kicked',
      'created Party',
      '+Cat Party',
      '+Dan Party',
      '+Ben Party',
      '-Cat left',
      '-Dan left',
      '-Ben left',
      'closed Party',
      'created A',
      '+Cat A',
      'created B',
      '+Dan B',
      '-Cat moved',
      'closed A',
      '+Cat B',
    ])
    expect(roomChanges).toEqual(['Ann:Duel', 'Ben:Duel', 'Ben:-', 'Cat:Party', 'Dan:Party', 'Ben:Party', 'Cat:-', 'Dan:-', 'Ben:-', 'Cat:A', 'Dan:B', 'Cat:-', 'Cat:B'])
  })

  it('refuses a room request from a peer that has not joined', async () => {
    const g = await rig.connect()
    const reply = await rawRequest(g, (rid) => g.send('roomCreate', { rid, name: 'x', capacity: 2, meta: [] }))
    expect(reply).toMatchObject({ ok: false, code: 'not-joined' })
  })
})
