/**
 * The lobby over a transport session that rides out a cut: the peer shows as reconnecting while its
 * session is suspended and comes back with its status, room and id, on the same connection; it never
 * leaves, and nothing is resumed at the lobby level (no new welcome).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { record, startLobby, waitFor, type Rig } from './lobby-net'

type Internals = { channel: { peerConnection: { localPeerConnection: RTCPeerConnection } } | undefined }

describe('lobby presence across a transport session resume', () => {
  let rig: Rig
  beforeAll(async () => {
    rig = await startLobby({ server: { link: { timeoutMs: 1500, pingIntervalMs: 250 } } })
  })
  afterAll(() => rig.close())

  it('shows reconnecting, then the previous status; same room, same connection, no leave', async () => {
    const watcher = await rig.joined('Watcher')
    const roamer = await rig.joined('Roamer')
    const room = await watcher.lobby.createRoom({ name: 'den', capacity: 4 })
    await roamer.lobby.joinRoom(room.id)
    await roamer.lobby.setStatus('in-game')
    const id = roamer.lobby.self!.id
    const conn = rig.lobby.connectionOf(id)
    await waitFor(() => watcher.lobby.peers.get(id)?.status === 'in-game', 5000, 'Watcher to see Roamer in-game')
    const log = record(watcher.lobby)
    const roamerEvents: string[] = []
    roamer.lobby.events.on('joined', () => roamerEvents.push('joined'))
    roamer.lobby.events.on('disconnected', () => roamerEvents.push('disconnected'))
    const server: string[] = []
    rig.lobby.events.on('peerDropped', (p) => server.push(`dropped ${p.name}`))
    rig.lobby.events.on('peerResumed', (p) => server.push(`resumed ${p.name} ${p.status}`))
    const resumed = new Promise((r) => roamer.game.events.on('resumed', r))

    ;(roamer.game as unknown as Internals).channel!.peerConnection.localPeerConnection.close()
    await resumed
    await waitFor(() => log.length === 2, 5000, 'two presence changes')
    expect(log).toEqual(['status Roamer reconnecting', 'status Roamer in-game'])
    expect(server).toEqual(['dropped Roamer', 'resumed Roamer in-game'])
    expect(roamerEvents).toEqual([])
    expect(rig.lobby.connectionOf(id)).toBe(conn)
    expect(rig.lobby.roomOf(id)).toBe(room.id)
    expect(roamer.lobby.self).toMatchObject({ id, status: 'in-game', room: room.id })
    // Chat still flows both ways on the resumed session.
    const heard: string[] = []
    roamer.lobby.events.on('chat', (m) => heard.push(m.text))
    await watcher.lobby.say('welcome back')
    await waitFor(() => heard.includes('welcome back'), 5000, 'chat after the resume')
  })
})

describe('lobby resume after the transport session could not be resumed', () => {
  let rig: Rig
  beforeAll(async () => {
    // A session grace far shorter than the lobby's: the transport gives up, the lobby token still works.
    rig = await startLobby({ server: { link: { timeoutMs: 1500, pingIntervalMs: 250 }, sessions: { graceMs: 1 } }, lobby: { graceMs: 10_000 } })
  })
  afterAll(() => rig.close())

  it('falls back to the lobby token on a new connection: same id and room', async () => {
    const host = await rig.joined('Host')
    const room = await host.lobby.createRoom({ name: 'fallback', capacity: 4 })
    const roamer = await rig.player({ reconnect: () => rig.connect(), retryDelayMs: 100 })
    await roamer.lobby.join({ name: 'Roamer' })
    await roamer.lobby.joinRoom(room.id)
    const id = roamer.lobby.self!.id
    const reasons: string[] = []
    roamer.game.events.on('disconnect', (r) => reasons.push(r))
    const resumed = new Promise<boolean>((r) => roamer.lobby.events.on('joined', (_self, ok) => r(ok)))
    ;(roamer.game as unknown as Internals).channel!.peerConnection.localPeerConnection.close()
    expect(await resumed).toBe(true)
    expect(reasons).toHaveLength(1) // the session ended ('timeout' here; 'resume-failed' if the server refused first)
    expect(roamer.lobby.self?.id).toBe(id)
    expect(roamer.lobby.room?.id).toBe(room.id)
  })
})
