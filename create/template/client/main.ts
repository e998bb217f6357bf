import 'pixi.js/unsafe-eval' // Pixi without eval: the server's Content-Security-Policy forbids it
import { Application, Graphics } from 'pixi.js'
import { GameClient, NetClient } from 'netplay-toolkit/client'
import { layout, move, netMessages, RADIUS, sanitize, schema, WORLD } from '../shared/game'
import { Keyboard } from './keyboard'

const COLORS = [0x58a6ff, 0xf778ba, 0x3fb950, 0xd29922, 0xa371f7, 0xff7b72, 0x39c5cf, 0xe6edf3]
const status = document.getElementById('status')!

const client = new GameClient(schema, { url: location.origin })
try {
  await client.connect()
} catch (err) {
  status.textContent = `Cannot reach the game server: ${err instanceof Error ? err.message : String(err)}`
  throw err
}
status.textContent = 'Connected: move with WASD or the arrow keys.'

// Netcode: inputs go up, snapshots come down; our player is predicted, the others interpolated.
const keys = new Keyboard()
const net = new NetClient(client, { messages: netMessages, game: { layout, sampleInput: () => keys.direction(), sanitize, simulate: move } })

const app = new Application()
await app.init({ background: 0x0d1117, antialias: true, resizeTo: document.getElementById('stage')!, preference: 'webgl' })
document.getElementById('stage')!.append(app.canvas)
const scene = new Graphics()
app.stage.addChild(scene)
app.ticker.add(() => {
  const frame = net.render()
  const scale = Math.min(app.screen.width / WORLD.width, app.screen.height / WORLD.height)
  scene.clear().rect(0, 0, WORLD.width * scale, WORLD.height * scale).stroke({ width: 2, color: 0x30363d })
  for (const p of frame.others.values()) scene.circle(p.x * scale, p.y * scale, RADIUS * scale).fill(COLORS[p.color % COLORS.length]!)
  const me = frame.self
  if (me) scene.circle(me.x * scale, me.y * scale, RADIUS * scale).fill(COLORS[me.color % COLORS.length]!).stroke({ width: 3, color: 0xffffff })
})

// Chat on the reliable channel (text only: never innerHTML with what other players send).
const log = document.getElementById('chat-log')!
client.on('chat', (msg) => log.append(Object.assign(document.createElement('li'), { textContent: `${msg.from === net.entityId ? 'me' : `player ${msg.from}`}: ${msg.text}` })))
const form = document.getElementById('chat') as HTMLFormElement
form.addEventListener('submit', (e) => {
  e.preventDefault()
  const box = form.elements.namedItem('text') as HTMLInputElement
  if (box.value.trim()) client.send('say', { text: box.value.trim().slice(0, 200) })
  box.value = ''
})
