/** Headless bots against the real server over real WebRTC: `npm test`. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { GameClient, NetClient } from 'netplay-toolkit/client'
import { installNodeWebRTC } from 'netplay-toolkit/node'
import { startServer } from '../server/server'
import { layout, move, netMessages, sanitize, schema, WORLD } from '../shared/game'

installNodeWebRTC() // Node has no RTCPeerConnection of its own

async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

async function bot(url: string, moveX: number) {
  const client = new GameClient(schema, { url })
  await client.connect()
  const net = new NetClient(client, { messages: netMessages, game: { layout, sampleInput: () => ({ moveX, moveY: 0 }), sanitize, simulate: move } })
  return { client, net }
}

test('two bots: chat on the reliable channel, movement and snapshots on the unreliable one', async () => {
  const server = await startServer({ port: 0, host: '127.0.0.1' })
  const walker = await bot(server.url, 1)
  const watcher = await bot(server.url, 0)
  try {
    const heard = new Promise<string>((resolve) => watcher.client.on('chat', (msg) => resolve(msg.text)))
    walker.client.send('say', { text: 'hello' })
    assert.equal(await heard, 'hello')

    await until(() => walker.net.entityId !== undefined, 'the walker has joined')
    const id = walker.net.entityId!
    await until(() => server.players.get(id)!.x > WORLD.width / 2 + 1, 'the server has moved the walker right')
    await until(() => (watcher.net.render().others.get(id)?.x ?? 0) > WORLD.width / 2 + 1, 'the watcher sees the walker move')
  } finally {
    walker.net.stop()
    watcher.net.stop()
    walker.client.close()
    watcher.client.close()
    await server.close()
  }
})
