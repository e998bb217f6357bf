import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PeerInfo } from '../../../shared/lobby/index'
import { sleep } from '../../support/real-net'
import { rawRequest, record, startLobby, waitFor, type Player, type Rig } from './lobby-net'

const TIMEOUT_MS = 1500
const GRACE_MS = 2500

/** Makes a player go quiet: nothing it sends on the unreliable channel (pings, pongs) arrives, nor what it would receive. */
const silence = (p: Player) => p.game.setConditions({ outgoing: { loss: 1 }, incoming: { loss: 1 } })

describe('dead peers, grace period and resume over real WebRTC', () => {
  let rig: Rig
  let watcher: Player
  let log: string[]

  beforeAll(async () => {
    // Lobby-level resume (a new connection and the lobby's token): what a page reload, or a server without sessions, relies on.
    rig = await startLobby({ server: { link: { timeoutMs: TIMEOUT_MS, pingIntervalMs: 250 }, sessions: false }, lobby: { graceMs: GRACE_MS } })
    watcher = await rig.joined('Watcher')
    log = record(watcher.lobby)
  })
  afterAll(() => rig.close())

  it('shows a silent peer as reconnecting after the heartbeat timeout, then removes it after the grace period', async () => {
    const ghost = await rig.joined('Ghost')
    const id = ghost.lobby.self!.id
    const room = await ghost.lobby.createRoom({ name: 'haunt', capacity: 4 })
    await watcher.lobby.joinRoom(room.id)
    const dropped: string[] = []
    rig.lobby.events.on('peerDropped', (p) => dropped.push(p.id))
    const start = Date.now()
    silence(ghost)
    await waitFor(() => watcher.lobby.peers.get(id)?.status === 'reconnecting', 5000, 'Ghost to show as reconnecting')
    const quietFor = Date.now() - start
    expect(quietFor).toBeGreaterThanOrEqual(TIMEOUT_MS - 100)
    expect(quietFor).toBeLessThan(TIMEOUT_MS + 1500)
    expect(dropped).toEqual([id])
    // Still listed during the grace period, keeping its name and room place; no connection.
    expect(rig.lobby.nameOf(id)).toBe('Ghost')
    expect(rig.lobby.roomOf(id)).toBe(room.id)
    expect(rig.lobby.connectionOf(id)).toBeUndefined()
    expect(watcher.lobby.rooms.get(room.id)).toMatchObject({ owner: id, size: 2 })
    await waitFor(() => !watcher.lobby.peers.has(id), GRACE_MS + 2000, 'Ghost to be removed')
    const graceFor = Date.now() - start - quietFor
    expect(graceFor).toBeGreaterThanOrEqual(GRACE_MS - 200)
    expect(log.slice(-2)).toEqual(['status Ghost reconnecting', 'leave Ghost disconnected'])
    // Ghost owned the room until it was gone; then the remaining member did.
    expect(watcher.lobby.rooms.get(room.id)).toMatchObject({ owner: watcher.lobby.self!.id, size: 1 })
    await watcher.lobby.leaveRoom()
  })

  it('resumes within the grace period: same id, name, status and room; others never see it leave', async () => {
    const host = await rig.joined('Host')
    let nextGame: Player['game'] | undefined
    const replayed: string[] = []
    const roamer = await rig.player({
      reconnect: async () => {
        nextGame = await rig.connect()
        nextGame.on('chatMessage', (m) => replayed.push(`${m.text}:${m.replay}`))
        return nextGame
      },
      retryDelayMs: 100,
    })
    await roamer.lobby.join({ name: 'Roamer' })
    const room = await host.lobby.createRoom({ name: 'camp', capacity: 4 })
    await roamer.lobby.joinRoom(room.id)
    await roamer.lobby.setStatus('in-game')
    await roamer.lobby.say('before')
    const before = roamer.lobby.self!
    const firstToken = roamer.lobby.resumeToken!
    expect(firstToken).toMatch(/^[0-9a-f]{32}$/)
    const chats: string[] = []
    roamer.lobby.events.on('chat', (m) => chats.push(m.text))
    const resumed = new Promise<boolean>((r) => roamer.lobby.events.on('joined', (_self, ok) => r(ok)))
    const hostLog = record(host.lobby)

    silence(roamer)
    expect(await resumed).toBe(true) // the server timed the old connection out; the client came back by itself
    expect(nextGame).toBeDefined()
    expect(roamer.lobby.self).toEqual(before) // id, name, room, status 'in-game' (ping 0 on loopback)
    expect(roamer.lobby.room?.id).toBe(room.id)
    expect(roamer.lobby.resumeToken).not.toBe(firstToken)
    await waitFor(() => host.lobby.peers.get(before.id)?.status === 'in-game', 5000, 'Host to see Roamer back in-game')
    expect(hostLog).toEqual(['status Roamer reconnecting', 'status Roamer in-game'])
    expect(rig.lobby.roomMembers(room.id)).toEqual([host.lobby.self!.id, before.id])
    // The room's history is replayed on resume, but the client shows each message once.
    await waitFor(() => replayed.length === 1, 5000, 'the history replay')
    expect(replayed).toEqual(['before:true'])
    await sleep(100)
    expect(chats).toEqual([])
    // The new connection carries room traffic.
    await host.lobby.say('welcome back')
    await waitFor(() => chats.includes('welcome back'), 5000, 'room chat on the new connection')

    // The token was single-use: presenting the first one again does not give the identity.
    const thief = await rig.connect()
    const reply = await rawRequest(thief, (rid) => thief.send('lobbyJoin', { rid, resumeToken: firstToken }))
    expect(reply).toMatchObject({ ok: false, code: 'resume-failed' })
  })

  it('does not resume with a wrong token: a new identity, or resume-failed without a name', async () => {
    const victim = await rig.joined('Victim')
    const victimId = victim.lobby.self!.id
    const wrong = victim.lobby.resumeToken!.replace(/^./, (c) => (c === '0' ? '1' : '0'))
    const other = await rig.player()
    const welcomes: { peerId: string; name: string; resumed: boolean }[] = []
    other.game.on('lobbyWelcome', (w) => welcomes.push(w))
    expect(await rawRequest(other.game, (rid) => other.game.send('lobbyJoin', { rid, resumeToken: wrong }))).toMatchObject({ ok: false, code: 'resume-failed' })
    expect(await rawRequest(other.game, (rid) => other.game.send('lobbyJoin', { rid, resumeToken: 'not-hex' }))).toMatchObject({ ok: false, code: 'resume-failed' })
    expect(await rawRequest(other.game, (rid) => other.game.send('lobbyJoin', { rid, resumeToken: wrong, name: 'Victim' }))).toEqual({ ok: true })
    expect(welcomes).toHaveLength(1)
    expect(welcomes[0]!.resumed).toBe(false)
    expect(welcomes[0]!.peerId).not.toBe(victimId)
    expect(welcomes[0]!.name).toBe('Victim (2)')
    expect(rig.lobby.connectionOf(victimId)?.id).toBe(victim.game.id) // the victim is untouched
  })

  it('does not resume after the grace period', async () => {
    const late = await rig.joined('Late')
    const id = late.lobby.self!.id
    await waitFor(() => watcher.lobby.peers.has(id), 5000, 'Watcher to see Late')
    silence(late)
    await waitFor(() => !watcher.lobby.peers.has(id), TIMEOUT_MS + GRACE_MS + 3000, 'Late to expire')
    const fresh = await rig.connect()
    expect(await late.lobby.resume(fresh)).toBe(false) // welcomed, but as someone new
    expect(late.lobby.self!.id).not.toBe(id)
    expect(late.lobby.self!.name).toBe('Late')
  })

  it('takes over from a connection that is still alive (resumed from another tab)', async () => {
    const twin = await rig.joined('Twin')
    const id = twin.lobby.self!.id
    const oldGame = twin.game
    const closed = new Promise<string>((r) => oldGame.events.on('disconnect', (reason) => r(reason)))
    const leaves: PeerInfo[] = []
    watcher.lobby.events.on('peerLeft', (p) => leaves.push(p))
    expect(await twin.lobby.resume(await rig.connect())).toBe(true)
    expect(await closed).toBe('kicked')
    expect(twin.lobby.self!.id).toBe(id)
    expect(rig.lobby.connectionOf(id)?.id).not.toBe(oldGame.id)
    await sleep(200)
    expect(leaves).toEqual([])
  })
})
