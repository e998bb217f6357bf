import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const DEMO_DIRS = ['shared/demo', 'server/demo', 'client/demo']

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith('.ts') ? [path] : []
  })
}

/** Every import of a demo file, with where it points (a path under the repo, or the bare specifier). */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  return [...text.matchAll(/^(?:import|export)\b[^'";]*?\bfrom\s*'([^']+)'|^import\s*'([^']+)'/gm)].map((m) => {
    const spec = (m[1] ?? m[2])!
    return spec.startsWith('.') ? relative(root, join(file, '..', spec)) : spec
  })
}

describe('the demo is a consumer of the package', () => {
  it('imports the toolkit only through netplay-toolkit/* entry points', () => {
    const leaks: string[] = []
    for (const dir of DEMO_DIRS) {
      for (const file of tsFiles(join(root, dir))) {
        for (const target of imports(file)) {
          const intoToolkit = /^(shared|server|client|entry)\//.test(target) && !DEMO_DIRS.some((d) => target.startsWith(`${d}/`) || target === d)
          if (intoToolkit) leaks.push(`${relative(root, file)} -> ${target}`)
        }
      }
    }
    expect(leaks).toEqual([])
  })
})
