/**
 * `npm run build`: the library in dist/ — ESM JavaScript and .d.ts from `tsc -p tsconfig.build.json`,
 * one file per source file, then:
 * - relative imports get the `.js` / `/index.js` ending Node's ESM loader (and `nodenext` type
 *   resolution) require; the source omits it (bundler resolution);
 * - @geckos.io/server's lib is vendored into dist/vendor/geckos-server and imported from there: its
 *   package pins node-datachannel@0.32.1, whose install downloads a binary from the internet, so a
 *   consumer's plain `npm install` would fail on it. The vendored copy imports the node-datachannel
 *   this package depends on (0.33, binaries shipped as registry packages).
 * Every import left in dist/ is then checked: relative ones must exist, bare ones must be Node
 * built-ins or dependencies of this package.
 */
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { GECKOS_SERVER_LICENSE } from './geckos-license'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dist = join(root, 'dist')
const vendorDir = join(dist, 'vendor', 'geckos-server')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> }

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

function toVendored(file: string, spec: string): string {
  if (spec !== '@geckos.io/server') return spec
  const rel = relative(dirname(file), join(vendorDir, 'index.js')).replaceAll('\\', '/')
  return rel.startsWith('.') ? rel : `./${rel}`
}

function vendorGeckosServer(): void {
  const source = join(root, 'node_modules', '@geckos.io', 'server')
  const version = (JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as { version: string }).version
  if (version !== pkg.devDependencies['@geckos.io/server']) throw new Error(`@geckos.io/server ${version} installed, ${pkg.devDependencies['@geckos.io/server']} expected`)
  cpSync(join(source, 'lib'), vendorDir, { recursive: true, filter: (path) => statSync(path).isDirectory() || /\.(js|d\.ts)$/.test(path) })
  writeFileSync(join(vendorDir, 'LICENSE'), GECKOS_SERVER_LICENSE)
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
vendorGeckosServer()
const files = filesUnder(dist).filter((f) => f.endsWith('.js') || f.endsWith('.d.ts'))
for (const file of files) {
  const vendored = file.startsWith(vendorDir)
  const specs = mapSpecifiers(file, (spec) => (vendored ? spec : withExtension(file, toVendored(file, spec))))
  for (const spec of specs) checkImport(file, spec)
}
console.log(`dist/: ${files.length} files, imports checked`)
