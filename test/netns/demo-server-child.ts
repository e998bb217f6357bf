/**
 * The demo server (static client, game server, lobby, arenas, signalling) inside a network namespace,
 * listening on this side's address (NETPLAY_BIND). Prints `ready` with its URL; `exit` ends it.
 */
import { startDemoServer } from '../../server/demo/demo-server'
import { emit, serveRuns } from '../support/child-protocol'

const host = process.env.NETPLAY_BIND!
const demo = await startDemoServer({ port: 0, host, staticRoot: process.env.STATIC_ROOT! })
// The signalling guard accepts pages from this origin (a LAN address is not one of its defaults).
process.env.DEMO_ORIGIN = demo.url
emit({ type: 'ready', url: demo.url })
serveRuns(
  async () => ({ type: 'state' }),
  async (code) => {
    await demo.close()
    process.exit(code)
  },
)
