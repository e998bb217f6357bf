/** `npm run dev`: the game server on 9208 and Vite with hot reload on 5173, pointed at it. */
import { createServer } from 'vite'
import { startDemoServer } from './demo-server'

const game = await startDemoServer({ port: 9208 })
process.env.VITE_GAME_SERVER = game.url
const vite = await createServer({ configFile: new URL('../../vite.config.ts', import.meta.url).pathname })
await vite.listen(5173)
console.log(`Game server ${game.url}; open http://localhost:5173`)
