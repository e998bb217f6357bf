/** The README's example, runnable: `npx tsx docs/examples/quickstart.ts`. */
import { GameClient } from 'netplay-toolkit/client'
import { installNodeWebRTC } from 'netplay-toolkit/node'
import { defineSchema, t } from 'netplay-toolkit/schema'
import { GameServer } from 'netplay-toolkit/server'

installNodeWebRTC()

const schema = defineSchema({
  move: { channel: 'unreliable', direction: 'toServer', fields: { x: t.quantized({ min: 0, max: 1000, step: 0.01 }), y: t.quantized({ min: 0, max: 1000, step: 0.01 }) } },
  chat: { channel: 'reliable', fields: { text: t.string({ maxLength: 500 }) } },
})

const server = new GameServer(schema)
server.on('move', (pos, conn) => console.log('server got move from', conn.id, pos.x, pos.y))
server.on('chat', (msg, conn) => server.broadcast('chat', { text: `${conn.id.slice(0, 6)}: ${msg.text}` }))
const port = await server.listen(0, '127.0.0.1')

const client = new GameClient(schema, { url: `http://127.0.0.1:${port}` })
await client.connect()
const echoed = new Promise<void>((resolve) =>
  client.on('chat', (msg) => {
    console.log('client got chat:', msg.text)
    resolve()
  }),
)
client.send('move', { x: 10.5, y: 20 })
client.send('chat', { text: 'gg' })
await echoed
console.log('rtt samples so far:', client.stats().rtt.samples)
client.close()
await server.close()
process.exit(0)
