/** `npm start`: serves the built client and the game on one port (PORT, default 8080). */
import { fileURLToPath } from 'node:url'
import { startServer } from './server'

const port = Number(process.env.PORT ?? 8080)
const { url } = await startServer({ port, staticRoot: fileURLToPath(new URL('../dist', import.meta.url)) })
console.log(`Game running: open ${url} in two browser tabs`)
