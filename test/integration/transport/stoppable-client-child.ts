/**
 * A Node client in its own process, so a test can SIGSTOP it: its WebRTC stack stops acknowledging
 * and the server's buffers toward it grow, as for a real peer that cannot keep up.
 * Usage: `node --import tsx stoppable-client-child.ts <url>`; prints `{"ready":true,"id":"..."}`.
 */
import { connectClient } from '../../support/real-net'
import { testSchema } from '../../support/test-schema'

const url = process.argv[2]!
const client = await connectClient(testSchema, url, { link: { timeoutMs: 120_000 } })
let received = 0
client.on('bulk', () => received++)
client.events.on('disconnect', (reason) => {
  process.stdout.write(JSON.stringify({ disconnected: reason, received }) + '\n')
  setTimeout(() => process.exit(0), 200)
})
process.stdout.write(JSON.stringify({ ready: true, id: client.id }) + '\n')
setInterval(() => undefined, 1000)
