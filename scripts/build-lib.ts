/**
 * `npm run build`: the library in dist/ — ESM JavaScript and .d.ts from `tsc -p tsconfig.build.json`,
 * one file per source file, then:
 * - relative imports get the `.js` / `/index.js` ending Node's ESM loader (and `nodenext` type
 *   resolution) require; the source omits it (bundler resolution);
 * Every import left in dist/ is then checked: relative ones must exist, bare ones must be Node
 * built-ins or dependencies of this package.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dist = join(root, 'dist')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

/** Static `import ... from` / `export ... from` / `import '...'` at a line start, and `import('...')` anywhere (d.ts type references). */
const SPECIFIER = /(^(?:import|export)\b[^'";]*?\bfrom\s*|^import\s*|\bimport\(\s*)(['"])([^'"\n]+)\2/gm

function mapSpecifiers(file: string, map: (spec: string) => string): string[] {
  const seen: string[] = []
  const text = readFileSync(file, 'utf8')
  const out = text.replace(SPECIFIER, (_m, head: string, quote: string, spec: string) => {
    const mapped = map(spec)
    seen.push(mapped)
    return `${head}${quote}${mapped}${quote}`
  })
  if (out !== text) writeFileSync(file, out)
  return seen
}

/** `./x` -> `./x.js` or `./x/index.js`, whichever the build produced. */
function withExtension(file: string, spec: string): string {
  if (!spec.startsWith('.') || /\.(m?js|json)$/.test(spec)) return spec
  const base = resolve(dirname(file), spec)
  const ext = file.endsWith('.d.ts') ? '.d.ts' : '.js'
  if (existsSync(base + ext)) return `${spec}.js`
  if (existsSync(join(base, `index${ext}`))) return `${spec}/index.js`
  throw new Error(`${relative(root, file)}: cannot resolve ${spec}`)
}

function checkImport(file: string, spec: string): void {
  if (spec.startsWith('.')) {
    const target = resolve(dirname(file), file.endsWith('.d.ts') ? spec.replace(/\.js$/, '.d.ts') : spec)
    if (!existsSync(target)) throw new Error(`${relative(root, file)}: ${spec} does not exist`)
    return
  }
  const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!
  const isBuiltin = spec.startsWith('node:') || builtinModules.includes(name)
  if (!isBuiltin && !(name in pkg.dependencies)) throw new Error(`${relative(root, file)} imports ${spec}, which is not a dependency`)
}

rmSync(dist, { recursive: true, force: true })
execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' })
const files = filesUnder(dist).filter((f) => f.endsWith('.js') || f.endsWith('.d.ts'))
for (const file of files) {
  const specs = mapSpecifiers(file, (spec) => withExtension(file, spec))
  for (const spec of specs) checkImport(file, spec)
}
console.log(`dist/: ${files.length} files, imports checked`)
