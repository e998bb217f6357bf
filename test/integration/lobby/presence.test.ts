import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LobbyServer } from '../../../server/lobby/index'
import { GameServer } from '../../../server/index'
import { defineSchema, t } from '../../../shared/schema/index'
import { rawRequest, record, startLobby, waitFor, type Player, type Rig } from './lobby-net'

describe('lobby presence over real WebRTC', () => {
  let rig: Rig
  let ann: Player
  let ben: Player
  let cat: Player
  let annLog: string[]

  beforeAll(async () => {
    rig = await startLobby({ lobby: { pingRefreshMs: 300 } })
    ann = await rig.joined('Ann')
    annLog = record(ann.lobby)
    ben = await rig.joined('Ben')
    cat = await rig.joined('Cat')
  })
  afterAll(() => rig.close())

  it('gives every joiner the full list, and announces later joiners to earlier ones', async () => {
    await waitFor(() => ann.lobby.peers.size === 3, 5000, 'Ann to see three peers')
    for (const p of [ann, ben, cat]) expect([...p.lobby.peers.values()].map((x) => x.name).sort()).toEqual(['Ann', 'Ben', 'Cat'])
    expect(annLog).toEqual(['join Ben', 'join Cat'])
    // Ids are the server's: short random base62, distinct, and the same everywhere.
    const ids = [ann, ben, cat].map((p) => p.lobby.self!.id)
    for (const id of ids) expect(id).toMatch(/^[0-9A-Za-z]{8}$/)
    expect(new Set(ids).size).toBe(3)
    expect(cat.lobby.peers.get(ids[0]!)).toMatchObject({ id: ids[0], name: 'Ann', status: 'online' })
    expect(rig.lobby.peerList().map((p) => p.id).sort()).toEqual([...ids].sort())
  })

  it('maps connections to peers and back (the directory other server parts use)', () => {
    const annId = ann.lobby.self!.id
    const conn = rig.server.connections.get(ann.game.id)!
    expect(rig.lobby.peerIdOf(conn)).toBe(annId)
    expect(rig.lobby.connectionOf(annId)).toBe(conn)
    expect(rig.lobby.nameOf(annId)).toBe('Ann')
    expect(rig.lobby.roomOf(annId)).toBeUndefined()
    expect(rig.lobby.connectionOf('nobody')).toBeUndefined()
  })

  it('pushes a status change to everyone as a delta', async () => {
    const seen: string[] = []
    cat.lobby.events.on('peerChanged', (p, c) => c.status && seen.push(`${p.name}:${c.status}`))
    await ben.lobby.setStatus('away')
    await waitFor(() => ann.lobby.peers.get(ben.lobby.self!.id)?.status === 'away', 5000, 'Ann to see Ben away')
    await waitFor(() => seen.length === 1, 5000, 'Cat to see the change')
    expect(seen).toEqual(['Ben:away'])
    expect(ben.lobby.self!.status).toBe('away')
    await ben.lobby.setStatus('in-game')
    await waitFor(() => cat.lobby.peers.get(ben.lobby.self!.id)?.status === 'in-game', 5000, 'Cat to see Ben in-game')
  })

  it("refreshes pings from the transport's RTT", async () => {
    // 40 ms each way on Cat's end: the server measures ~80 ms to Cat and tells the others.
    cat.game.setConditions({ incoming: { latencyMs: 40 }, outgoing: { latencyMs: 40 } })
    const catId = cat.lobby.self!.id
    await waitFor(() => (ann.lobby.peers.get(catId)?.ping ?? 0) >= 60, 8000, "Ann to see Cat's ping rise")
    expect(ann.lobby.peers.get(catId)!.ping).toBeLessThan(200)
    expect(ben.lobby.peers.get(catId)!.ping).toBeGreaterThanOrEqual(60)
    expect(ann.lobby.peers.get(ann.lobby.self!.id)!.ping).toBeLessThan(30)
    cat.game.setConditions({ incoming: {}, outgoing: {} })
  })

  it('makes names unique after normalisation (case and width folded)', async () => {
    const names: string[] = []
    for (const name of ['ann', '  ＡＮＮ  ', 'Ann']) {
      const p = await rig.joined(name)
      names.push(p.lobby.self!.name)
    }
    expect(names).toEqual(['ann (2)', 'ANN (3)', 'Ann (4)'])
    await waitFor(() => ann.lobby.peers.size === 6, 5000, 'six peers')
  })

  it('takes the name from the part of an email before @, and remembers it when asked', async () => {
    const stored = new Map<string, string>()
    const storage = { getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => void stored.set(k, v) }
    const p = await rig.player({ storage })
    expect(p.lobby.rememberedName()).toBeUndefined()
    const self = await p.lobby.join({ email: 'dora.d@example.org' }, { remember: true })
    expect(self.name).toBe('dora.d')
    expect(p.lobby.rememberedName()).toBe('dora.d')
    expect([...stored.values()]).toEqual(['dora.d']) // the name only, never the address
  })

  it('refuses names with control, zero-width or bidi characters, empty or too long (server side)', async () => {
    const p = await rig.player()
    const bad = ['\u202Eevil', 'zero\u200Bwidth', 'tab\there', 'bell\u0007', '   ', 'x'.repeat(25), 'isolate\u2066x', 'bom\uFEFF']
    for (const name of bad) {
      const reply = await rawRequest(p.game, (rid) => p.game.send('lobbyJoin', { rid, name }))
      expect(reply, JSON.stringify(name)).toMatchObject({ ok: false, code: 'invalid-name' })
    }
    expect(p.lobby.self).toBeUndefined()
    // The client refuses before sending, with the same rule.
    await expect(p.lobby.join({ name: 'a\u202Eb' })).rejects.toMatchObject({ code: 'invalid-name' })
    // 24 code points is fine, even astral ones (48 UTF-16 units).
    const ok = await rawRequest(p.game, (rid) => p.game.send('lobbyJoin', { rid, name: '😀'.repeat(24) }))
    expect(ok).toEqual({ ok: true })
  })

  it('refuses requests before joining and a second join', async () => {
    const p = await rig.player()
    expect(await rawRequest(p.game, (rid) => p.game.send('statusSet', { rid, status: 'away' }))).toMatchObject({ ok: false, code: 'not-joined' })
    await p.lobby.join({ name: 'Eve' })
    expect(await rawRequest(p.game, (rid) => p.game.send('lobbyJoin', { rid, name: 'Eve again' }))).toMatchObject({ ok: false, code: 'already-joined' })
  })

  it('tells everyone when a peer leaves, and frees its name', async () => {
    const benId = ben.lobby.self!.id
    const left: string[] = []
    rig.lobby.onPeerLeft((id) => left.push(id))
    await ben.lobby.leave()
    await waitFor(() => !ann.lobby.peers.has(benId) && !cat.lobby.peers.has(benId), 5000, 'Ben gone everywhere')
    expect(annLog.at(-1)).toBe('leave Ben left')
    expect(left).toEqual([benId])
    expect(rig.lobby.peer(benId)).toBeUndefined()
    // Same connection, joins again: a new id, and "Ben" is free again.
    const again = await ben.lobby.join({ name: 'ben' })
    expect(again.name).toBe('ben')
    expect(again.id).not.toBe(benId)
  })

  it('refuses to run on a schema without the lobby messages', async () => {
    const other = defineSchema({ chatSend: { channel: 'reliable', fields: { text: t.string({ maxLength: 10 }) } } })
    const server = new GameServer(other)
    try {
      expect(() => new LobbyServer(server)).toThrow(/lobbyMessages.*'chatSend' is declared/)
    } finally {
      await server.close()
    }
  })
})
