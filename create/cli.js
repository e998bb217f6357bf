#!/usr/bin/env node
/**
 * `npm create netplay-game <dir>` (this package's bin, `create-netplay-game <dir> [--toolkit <npm spec>]`):
 * writes a new game project into <dir> from ./template (schema, server with a room, Vite + Pixi
 * client, a headless bot test). `--toolkit` replaces the netplay-toolkit version (e.g. a tarball path).
 *
 * A package of its own, with no dependencies: `npx` of netplay-toolkit itself would install
 * @geckos.io/server's pinned node-datachannel@0.32.1, whose install script downloads a binary from
 * the internet. The game it writes pins node-datachannel with `overrides` (npm honours them only
 * in the root project, i.e. the game).
 */
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const USAGE = 'usage: npm create netplay-game <dir>   (create-netplay-game <dir> [--toolkit <npm spec>])'
const here = fileURLToPath(new URL('.', import.meta.url))
/** The netplay-toolkit version and the node-datachannel it is tested with, kept in step with it by test/package/create-manifest.test.ts. */
const { netplay } = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'))

function fail(message) {
  console.error(message)
  process.exit(1)
}

const args = process.argv.slice(2)
const toolkitAt = args.indexOf('--toolkit')
const toolkit = toolkitAt >= 0 ? args.splice(toolkitAt, 2)[1] : netplay.toolkit
const [dir] = args
if (!dir || dir.startsWith('-') || !toolkit || args.length !== 1) fail(USAGE)

const target = resolve(dir)
const name = basename(target)
// The directory's name becomes the package name, so it must be one npm accepts.
if (!/^[a-z0-9][a-z0-9._-]{0,213}$/.test(name)) fail(`"${name}": use lowercase letters, digits, '-', '.' or '_' for the directory name`)
if (existsSync(target) && readdirSync(target).length > 0) fail(`${target} exists and is not empty`)

cpSync(join(here, 'template'), target, { recursive: true })
// npm pack leaves out files named .gitignore, and a package.json in the template would make it a package.
renameSync(join(target, '_gitignore'), join(target, '.gitignore'))
renameSync(join(target, '_package.json'), join(target, 'package.json'))
for (const file of ['package.json', 'README.md']) {
  const path = join(target, file)
  const text = readFileSync(path, 'utf8')
    .replaceAll('{{name}}', name)
    .replaceAll('{{toolkit}}', toolkit.replaceAll('\\', '/'))
    .replaceAll('{{nodeDatachannel}}', netplay.nodeDatachannel)
  writeFileSync(path, text)
}
console.log(`Created ${name} in ${target}\n\n  cd ${dir}\n  npm install && npm start   # then open http://localhost:8080 in two tabs\n  npm test`)
