/** The loss benchmarks' TCP baseline: a WebSocket connection on loopback, both ends in this process, no compression. */
import type { AddressInfo } from 'node:net'
import { WebSocket, WebSocketServer } from 'ws'

export async function openWsPair(): Promise<{ wss: WebSocketServer; wsClient: WebSocket; wsServer: WebSocket }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false })
  await new Promise<void>((r) => wss.once('listening', () => r()))
  const wsServerSide = new Promise<WebSocket>((r) => wss.once('connection', r))
  const wsClient = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, { perMessageDeflate: false })
  await new Promise<void>((resolve, reject) => (wsClient.once('open', () => resolve()), wsClient.once('error', reject)))
  const wsServer = await wsServerSide
  return { wss, wsClient, wsServer }
}
