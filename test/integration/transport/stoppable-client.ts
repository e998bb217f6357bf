import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const CHILD = fileURLToPath(new URL('./stoppable-client-child.ts', import.meta.url))

/** A GameClient in a child process, connected to `url`; `stop()` freezes it with SIGSTOP. */
export async function startStoppableClient(url: string): Promise<{ id: string; proc: ChildProcess; stop(): void; kill(): void }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, url], { stdio: ['ignore', 'pipe', 'inherit'] })
  const id = await new Promise<string>((resolve, reject) => {
    let buf = ''
    const timer = setTimeout(() => reject(new Error('stoppable client did not connect in 20 s')), 20_000)
    proc.stdout!.on('data', (d: Buffer) => {
      buf += d.toString()
      const line = buf.split('\n').find((l) => l.includes('"ready"'))
      if (!line) return
      clearTimeout(timer)
      resolve((JSON.parse(line) as { id: string }).id)
    })
    proc.once('exit', (code) => reject(new Error(`stoppable client exited with ${code}`)))
  })
  return {
    id,
    proc,
    stop: () => void proc.kill('SIGSTOP'),
    kill: () => {
      proc.kill('SIGCONT')
      proc.kill('SIGKILL')
    },
  }
}
