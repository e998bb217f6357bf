/** Files the package test writes into the scaffolded game, as a game developer would. */

/** A consumer file: the right `say` payload on line 5 compiles; the wrong one on line 6 must be the one error. */
export const CONSUMER = `import { GameClient } from 'netplay-toolkit/client'
import { schema } from './shared/game.ts'

export function speak(client: GameClient<typeof schema>): void {
  client.send('say', { text: 'gg' })
  client.send('say', { text: 42 })
}
`

/** Bundler resolution (Vite, tsx: what the scaffold uses) and Node's own ESM resolution (nodenext). */
export const consumerTsconfigs = {
  'tsconfig.consumer-bundler.json': { extends: './tsconfig.json', compilerOptions: { allowImportingTsExtensions: true }, include: ['consumer.ts', 'shared'] },
  'tsconfig.consumer-nodenext.json': {
    extends: './tsconfig.json',
    compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', allowImportingTsExtensions: true },
    include: ['consumer.ts', 'shared'],
  },
}

/** A Node bot that watches the game and prints what it sees, one JSON line every 100 ms. */
export const WATCH_BOT = `import { GameClient, NetClient } from 'netplay-toolkit/client'
import { installNodeWebRTC } from 'netplay-toolkit/node'
import { layout, move, netMessages, sanitize, schema } from './shared/game'

installNodeWebRTC()
const client = new GameClient(schema, { url: process.argv[2]! })
await client.connect()
const net = new NetClient(client, { messages: netMessages, game: { layout, sampleInput: () => ({ moveX: 0, moveY: 0 }), sanitize, simulate: move } })
client.on('chat', (msg) => console.log(JSON.stringify({ chat: msg.text })))
setInterval(() => console.log(JSON.stringify({ others: [...net.render().others.values()].map((p) => p.x) })), 100)
`
