import 'pixi.js/unsafe-eval' // Pixi without eval, so the CSP can forbid it
import { demoSchema } from '../../shared/demo/demo-schema'
import { ConnectError, GameClient, LobbyClient, LobbyError } from 'netplay-toolkit/client'
import { ChatPanel } from './overlay/chat-panel'
import { showDoctorReport } from './overlay/doctor-report'
import { GameView } from './game/game-view'
import { FilePanel } from './overlay/file-panel'
import { MediaController } from './overlay/media-controller'
import { NetHud } from './overlay/net-hud'
import { LobbyScreen } from './screens/lobby-screen'
import { RoomScreen } from './screens/room-screen'
import { signInScreen } from './screens/sign-in-screen'
import { button, el, toast } from './ui/dom'

const serverUrl = (import.meta.env.VITE_GAME_SERVER as string | undefined) ?? location.origin
const app = document.getElementById('app')!
const status = el('p', { id: 'status', class: 'status', text: 'connecting…' })
const main = el('main', { id: 'screen' })
// The connectivity doctor on request (it also runs by itself when connecting fails).
const checkConnection = button('Check connection', () => {
  checkConnection.disabled = true
  void showDoctorReport(status, nodeUrl).finally(() => (checkConnection.disabled = false))
}, 'small')
checkConnection.id = 'check-connection'
app.replaceChildren(el('header', { class: 'top' }, [el('h1', { text: 'netplay arena' }), status, checkConnection]), main)

const explain = (err: unknown): string => {
  if (err instanceof ConnectError) {
    if (err.reason === 'schema-mismatch') return 'This page was built for another server version: reload the page.'
    if (err.reason === 'unreachable' || err.reason === 'timeout') return 'The game server is unreachable. Is it running?'
    return `Connection refused: ${err.reason}`
  }
  if (err instanceof LobbyError) return `${err.code}: ${err.message}`
  return err instanceof Error ? err.message : String(err)
}

/** The node we are on: the page's own, until a room on another node of a cluster moves us there. */
let nodeUrl = serverUrl

async function connect(url = nodeUrl): Promise<GameClient<typeof demoSchema>> {
  const client = new GameClient(demoSchema, { url })
  await client.connect()
  return client
}

async function start(): Promise<void> {
  let client: GameClient<typeof demoSchema>
  try {
    client = await connect()
  } catch (err) {
    status.textContent = explain(err)
    status.classList.add('error')
    if (!(err instanceof ConnectError) || err.reason === 'unreachable' || err.reason === 'timeout' || err.reason === 'turn-failed') void showDoctorReport(status, serverUrl)
    return
  }
  status.textContent = 'connected'
  const hud = new NetHud((c) => client.setConditions({ outgoing: c, incoming: c }))
  // Kept from the start: the roster arrives while we join a room, before the game view exists.
  let roster = new Map<number, string>()
  let media: MediaController | undefined
  let files: FilePanel | undefined
  let offConnection: (() => void)[] = []

  /** Everything bound to one connection; after an automatic resume it moves to the new one. */
  function adopt(next: GameClient<typeof demoSchema>): void {
    for (const off of offConnection) off()
    client = next
    offConnection = [
      next.events.on('stats', (s) => hud.update(s)),
      next.events.on('disconnect', (reason) => {
        status.textContent = `disconnected (${reason}) — trying to resume…`
        status.classList.add('error')
      }),
      next.on('arenaRoster', (r) => (roster = new Map(r.players.map((p) => [p.entity, p.peer])))),
      // A cut the transport rides out (same connection, messages replayed): no new connection to adopt.
      next.events.on('suspended', (reason) => {
        status.textContent = `connection lost (${reason}) — resuming…`
        status.classList.add('error')
      }),
      next.events.on('resumed', () => {
        status.classList.remove('error')
        status.textContent = `signed in as ${lobby.self?.name ?? ''} (resumed)`
      }),
    ]
    if (media) media.rebind(next)
    if (files) files.rebind(next)
  }

  const lobby = new LobbyClient(client, {
    reconnect: async () => {
      const next = await connect()
      adopt(next)
      return next
    },
    // Scale-out: joining a room hosted on another node moves this page's connection there.
    connectTo: async (url) => {
      const next = await connect(url)
      nodeUrl = url
      adopt(next)
      return next
    },
  })
  adopt(client)
  media = new MediaController(client, lobby, new URLSearchParams(location.search).get('media') === 'relay')
  files = new FilePanel(client, lobby)
  const filePanel = files
  lobby.events.on('joined', (self, resumed) => {
    status.classList.remove('error')
    status.textContent = `signed in as ${self.name}${resumed ? ' (resumed)' : ''}`
    if (resumed && game) showRoom() // the game view follows the new connection
  })
  lobby.events.on('kicked', () => toast('The room owner removed you from the room.', 'error'))
  lobby.events.on('error', (e) => toast(explain(e), 'error'))
  document.body.append(media.root)
  Object.assign(window, { __client: () => client }) // read by the end-to-end test

  let chat: ChatPanel | undefined
  const chatPanel = () => (chat ??= new ChatPanel(lobby))
  for (const e of ['peerJoined', 'peerLeft', 'joined'] as const)
    lobby.events.on(e, () => {
      chat?.refreshTargets()
      filePanel.refreshTargets()
    })

  function showLobby(): void {
    const screen = new LobbyScreen(lobby, {
      joinRoom: (room) => {
        const password = room.hasPassword ? (prompt(`Password for ${room.name}`) ?? '') : undefined
        lobby.joinRoom(room.id, password).then(showRoom, () => undefined)
      },
      createRoom: (f) => lobby.createRoom({ name: f.name, capacity: f.capacity, password: f.password, meta: { mode: f.mode } }).then(showRoom, () => undefined),
      call: (peer) => media?.call(peer.id),
    })
    main.replaceChildren(el('div', { class: 'columns' }, [screen.root, el('div', { class: 'side' }, [chatPanel().root, filePanel.root, hud.root])]))
    if (media) document.body.append(media.root) // floating in the lobby (direct calls)
    const offKick = lobby.events.on('kicked', () => screen.render())
    void offKick
  }

  let game: GameView | undefined
  function leaveGame(): void {
    game?.dispose()
    game = undefined
  }

  function showRoom(): void {
    leaveGame()
    const room = new RoomScreen(lobby, () => lobby.leaveRoom().then(() => (leaveGame(), showLobby()), () => undefined))
    game = new GameView(room.stage, client, lobby, hud, () => roster)
    room.side.append(el('section', { class: 'panel' }, [el('h3', { text: 'Scores' }), game.board]), chatPanel().root, filePanel.root, hud.root)
    main.replaceChildren(room.root)
    if (media) room.header.insertBefore(media.root, room.header.lastChild) // in the room: a strip above the arena, not over it
    game.start().catch((err: unknown) => toast(`Graphics failed: ${explain(err)}`, 'error'))
    Object.assign(window, { __game: game }) // read by the end-to-end test
    const off = lobby.events.on('kicked', () => {
      off()
      leaveGame()
      showLobby()
    })
  }

  // A reload of this tab within the grace period gets its identity and room back ("rapid connection restore").
  const resumed = await lobby.resumeSession().catch(() => false)
  if (resumed && lobby.room) showRoom()
  else if (resumed) showLobby()
  else
    signInScreen(main, lobby.rememberedName(), async (as, remember) => {
      await lobby.join(as, { remember })
      showLobby()
    })
}

void start()
