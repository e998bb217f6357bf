import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { API_DOC, ENTRIES, renderExportList, withExportList } from '../../scripts/api-doc'

describe('the public face', () => {
  it('package.json exports exactly the documented entry points, each with types', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { exports: Record<string, unknown> }
    const entries = Object.keys(pkg.exports).filter((k) => k !== './package.json')
    expect(entries.sort()).toEqual(ENTRIES.map((e) => `./${e}`).sort())
    for (const e of ENTRIES) expect(pkg.exports[`./${e}`]).toEqual({ types: `./dist/entry/${e}.d.ts`, default: `./dist/entry/${e}.js` })
  })

  it('docs/api.md lists every exported name (run `npm run docs:api` after changing an entry file)', async () => {
    const doc = readFileSync(API_DOC, 'utf8')
    expect(withExportList(doc, await renderExportList())).toBe(doc)
  }, 60_000)
})
