/**
 * The browser client entry (`netplay-toolkit/client`) bundled as a game's bundler would: Vite for the
 * browser, minified, with @geckos.io/client inside. Fails on any Node-only import (node:*, Node
 * built-ins), which a browser build would otherwise replace with an empty stub.
 */
import { builtinModules } from 'node:module'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build, type Plugin, type Rollup } from 'vite'

export interface ClientBundle {
  /** Minified JavaScript, all chunks. */
  clientBytes: number
  /** The same, gzip level 9, each chunk on its own (as a server would send them). */
  clientGzipBytes: number
  /** Every module in the bundle (repo-relative or package paths). */
  modules: string[]
}

const entry = fileURLToPath(new URL('../entry/client.ts', import.meta.url))
const NODE_BUILTINS = new Set(builtinModules)

function refuseNodeModules(): Plugin {
  return {
    name: 'refuse-node-modules',
    enforce: 'pre',
    resolveId(id, importer) {
      if (id.startsWith('node:') || NODE_BUILTINS.has(id.split('/')[0]!)) throw new Error(`the browser client entry pulls in the Node module "${id}" (imported by ${importer ?? '?'})`)
      return null
    },
  }
}

export async function measureClientBundle(): Promise<ClientBundle> {
  const output = (await build({
    configFile: false,
    logLevel: 'silent',
    plugins: [refuseNodeModules()],
    build: { write: false, minify: true, lib: { entry, formats: ['es'], fileName: 'client' } },
  })) as Rollup.RollupOutput | Rollup.RollupOutput[]
  const chunks = (Array.isArray(output) ? output : [output]).flatMap((o) => o.output).filter((c): c is Rollup.OutputChunk => c.type === 'chunk')
  const root = fileURLToPath(new URL('..', import.meta.url))
  return {
    clientBytes: chunks.reduce((n, c) => n + Buffer.byteLength(c.code), 0),
    clientGzipBytes: chunks.reduce((n, c) => n + gzipSync(c.code, { level: 9 }).length, 0),
    modules: [...new Set(chunks.flatMap((c) => Object.keys(c.modules)))].map((m) => m.replace(root, '')).sort(),
  }
}
