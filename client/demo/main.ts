import { demoSchema } from '../../shared/demo/demo-schema'
import { GameClient } from '../transport/game-client'

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T
const serverUrl = (import.meta.env.VITE_GAME_SERVER as string | undefined) ?? location.origin
const client = new GameClient(demoSchema, { url: serverUrl })

function line(text: string): void {
  const li = document.createElement('li')
  li.textContent = text // text, never HTML
  $('log').append(li)
}

client.events.on('disconnect', (reason, detail) => ($('status').textContent = `disconnected: ${reason} ${detail}`))
client.events.on('stats', (s) => {
  $('stats').textContent = `rtt ${s.rtt.smoothed.toFixed(1)} ms (p95 ${s.rtt.p95.toFixed(1)})  jitter ${s.jitter.toFixed(1)} ms  loss in ${(s.loss.in * 100).toFixed(1)}% out ${(s.loss.out * 100).toFixed(1)}%  in ${(s.bytesInPerSec / 1024).toFixed(1)} KiB/s  out ${(s.bytesOutPerSec / 1024).toFixed(1)} KiB/s`
})

try {
  await client.connect()
  client.on('hello', (h) => ($('status').textContent = `connected as ${h.id} (${h.online} online)`))
  client.on('chat', (m) => line(`${m.from}: ${m.text}`))
  $('chat').addEventListener('submit', (e) => {
    e.preventDefault()
    const input = $<HTMLInputElement>('text')
    if (input.value) client.send('chat', { from: '', text: input.value })
    input.value = ''
  })
} catch (err) {
  $('status').textContent = `could not connect: ${String(err)}`
}
