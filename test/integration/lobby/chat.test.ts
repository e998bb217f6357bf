import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChatMessage } from '../../../shared/lobby/index'
import { sleep } from '../../support/real-net'
import { rawRequest, startLobby, waitFor, type Player, type Rig } from './lobby-net'

const BURST = 40
const HISTORY = 10

describe('lobby chat over real WebRTC', () => {
  let rig: Rig
  let ann: Player
  let ben: Player
  let cat: Player
  let out: Player // in the lobby, not in the room
  let roomId: string
  const inbox = new Map<Player, ChatMessage[]>()
  const listen = (p: Player) => {
    const list: ChatMessage[] = []
    inbox.set(p, list)
    p.lobby.events.on('chat', (m) => list.push(m))
    return list
  }

  beforeAll(async () => {
    // A slow refill (one per 20 s), so the burst alone decides what passes.
    rig = await startLobby({ lobby: { chat: { burst: BURST, perSecond: 0.05, history: HISTORY, maxLength: 300 } } })
    ;[ann, ben, cat, out] = await Promise.all([rig.joined('Ann'), rig.joined('Ben'), rig.joined('Cat'), rig.joined('Out')])
    for (const p of [ann, ben, cat, out]) listen(p)
    roomId = (await ann.lobby.createRoom({ name: 'Chat', capacity: 8 })).id
    await ben.lobby.joinRoom(roomId)
    await cat.lobby.joinRoom(roomId)
  })
  afterAll(() => rig.close())

  it('delivers room chat to every member, in order, with server ids and times', async () => {
    const t0 = Date.now()
    const texts = Array.from({ length: 30 }, (_, i) => `line ${i}`)
    await Promise.all(texts.map((t) => ann.lobby.say(t)))
    await waitFor(() => inbox.get(cat)!.length >= 30 && inbox.get(ben)!.length >= 30 && inbox.get(ann)!.length >= 30, 5000, 'all 30 lines')
    for (const p of [ann, ben, cat]) {
      const got = inbox.get(p)!
      expect(got.map((m) => m.text)).toEqual(texts)
      const ids = got.map((m) => m.id)
      expect(ids).toEqual([...ids].sort((a, b) => a - b))
      expect(new Set(ids).size).toBe(30)
      expect(got[0]).toMatchObject({ from: ann.lobby.self!.id, fromName: 'Ann', to: 'room', room: roomId, replay: false })
      for (const m of got) expect(m.at).toBeGreaterThanOrEqual(t0 - 1000)
    }
    await sleep(100)
    expect(inbox.get(out)).toEqual([])
  })

  it('sends a direct message only to its target, with an echo to the sender', async () => {
    const before = new Map([...inbox].map(([p, l]) => [p, l.length]))
    await ben.lobby.say('psst', out.lobby.self!.id)
    await waitFor(() => inbox.get(out)!.length === 1, 5000, 'the DM')
    expect(inbox.get(out)![0]).toMatchObject({ text: 'psst', from: ben.lobby.self!.id, to: out.lobby.self!.id })
    expect(inbox.get(out)![0]!.room).toBeUndefined()
    expect(inbox.get(ben)!.at(-1)).toMatchObject({ text: 'psst', to: out.lobby.self!.id })
    await sleep(150)
    expect(inbox.get(ann)!.length).toBe(before.get(ann))
    expect(inbox.get(cat)!.length).toBe(before.get(cat))
  })

  it('refuses over the rate limit, and nothing refused is delivered', async () => {
    // Ann spent 30 of her 40 in the first test: 10 more pass, the next 5 are refused.
    const results = await Promise.allSettled(Array.from({ length: 15 }, (_, i) => ann.lobby.say(`burst ${i}`)))
    const refused = results.filter((r) => r.status === 'rejected')
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10)
    expect(refused).toHaveLength(5)
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'rate-limited' })
    await waitFor(() => inbox.get(cat)!.filter((m) => m.text.startsWith('burst')).length === 10, 5000, 'the 10 accepted')
    await sleep(150)
    expect(inbox.get(cat)!.filter((m) => m.text.startsWith('burst')).map((m) => m.text)).toEqual(Array.from({ length: 10 }, (_, i) => `burst ${i}`))
    // Another peer has its own budget.
    await cat.lobby.say('still fine')
  })

  it('replays the last messages of the room to a newcomer', async () => {
    const dan = await rig.joined('Dan')
    const got = listen(dan)
    await dan.lobby.joinRoom(roomId)
    await waitFor(() => got.length === HISTORY, 5000, 'the replay')
    const expected = inbox.get(cat)!.slice(-HISTORY)
    expect(got.map((m) => m.id)).toEqual(expected.map((m) => m.id))
    expect(got.map((m) => m.text)).toEqual(expected.map((m) => m.text))
    expect(got.every((m) => m.replay)).toBe(true)
    expect(got.some((m) => m.text === 'psst')).toBe(false) // direct messages are not room history
    // New lines follow the replay.
    await ben.lobby.say('hi Dan')
    await waitFor(() => got.length === HISTORY + 1, 5000, 'a live line')
    expect(got.at(-1)).toMatchObject({ text: 'hi Dan', replay: false })
  })

  it('refuses invalid chat (server side)', async () => {
    const send = (p: Player, to: string, text: string) => rawRequest(p.game, (rid) => p.game.send('chatSend', { rid, to, text }))
    expect(await send(cat, 'room', '   ')).toMatchObject({ ok: false, code: 'invalid-text' })
    expect(await send(cat, 'room', 'evil \u202E txt')).toMatchObject({ ok: false, code: 'invalid-text' })
    expect(await send(cat, 'room', 'bell \u0007')).toMatchObject({ ok: false, code: 'invalid-text' })
    expect(await send(cat, 'room', 'x'.repeat(301))).toMatchObject({ ok: false, code: 'invalid-text' })
    expect(await send(cat, 'room', 'two\nlines 👨‍👩‍👧')).toEqual({ ok: true })
    expect(await send(out, 'room', 'hello?')).toMatchObject({ ok: false, code: 'not-in-room' })
    expect(await send(cat, 'nobody', 'hello?')).toMatchObject({ ok: false, code: 'unknown-peer' })
    expect(await send(cat, cat.lobby.self!.id, 'me')).toMatchObject({ ok: false, code: 'invalid-request' })
    // The schema caps text at 500 before anything is sent.
    await expect(cat.lobby.say('x'.repeat(501))).rejects.toMatchObject({ code: 'invalid-text' })
  })
})
