import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** The marker every file outside the static root carries: no response may ever contain it. */
export const SECRET_MARKER = 'NETPLAY-SECRET-7f3a9c'

export interface Site {
  /** The static root, `<dir>/site`. */
  root: string
  /** The folder around it. */
  dir: string
  /** Name of the root's folder, for crafting sibling paths (`../site-x/...`). */
  rootName: string
  cleanup(): void
}

/**
 * A static root like the demo's built client, with secrets around it: a file beside it, a sibling
 * folder whose name starts with the root's name (`site-x`), and symlinks inside the root that point out.
 */
export function makeSite(): Site {
  const dir = mkdtempSync(join(tmpdir(), 'netplay-http-'))
  const root = join(dir, 'site')
  mkdirSync(join(root, 'assets'), { recursive: true })
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>game</title><script src="/assets/app.js"></script>')
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log("game")')
  writeFileSync(join(dir, 'secret.txt'), `${SECRET_MARKER} beside the root`)
  mkdirSync(join(dir, 'site-x'))
  writeFileSync(join(dir, 'site-x', 'secret.txt'), `${SECRET_MARKER} in the sibling folder`)
  writeFileSync(join(dir, 'site.txt'), `${SECRET_MARKER} named like the root`)
  symlinkSync(join(dir, 'secret.txt'), join(root, 'escape.txt'))
  symlinkSync(join(dir, 'site-x'), join(root, 'escape-dir'))
  return { root, dir, rootName: 'site', cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}
