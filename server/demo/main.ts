/** `npm start`: serves the built client and the game server on one port (PORT, default 8080). */
import { fileURLToPath } from 'node:url'
import { startDemoServer } from './demo-server'

const port = Number(process.env.PORT ?? 8080)
const staticRoot = fileURLToPath(new URL('../../dist-demo', import.meta.url))
const { url } = await startDemoServer({ port, staticRoot })
console.log(`Demo running: open ${url} in two browser tabs`)
