import { describe, expect, it } from 'vitest'
import { FORBIDDEN_CODE_POINTS, nameFromEmail, nameKey, normalizeName, uniqueName } from '../../../shared/lobby/index'

const ok = (input: string) => {
  const r = normalizeName(input)
  if (!r.ok) throw new Error(`refused ${JSON.stringify(input)}: ${r.reason}`)
  return r.name
}
const refused = (input: string) => {
  const r = normalizeName(input)
  return r.ok ? undefined : r.reason
}

describe('normalizeName', () => {
  it('applies NFKC, trims and collapses spaces', () => {
    expect(ok('  Ｂｏｂ  ')).toBe('Bob') // full-width letters
    expect(ok('ﬁnn')).toBe('finn') // ligature
    expect(ok('Ann\u00A0\u3000 Lee')).toBe('Ann Lee') // no-break and ideographic spaces
    expect(ok('e\u0301')).toBe('\u00E9') // composed
    expect(ok('Zoë 😀')).toBe('Zoë 😀')
  })

  it('counts code points, 1 to 24', () => {
    expect(ok('x'.repeat(24))).toHaveLength(24)
    expect(refused('x'.repeat(25))).toMatch(/25 characters; at most 24/)
    expect(ok('😀'.repeat(24))).toHaveLength(48) // 24 code points, 48 UTF-16 units
    expect(refused('😀'.repeat(25))).toMatch(/at most 24/)
    expect(refused('')).toMatch(/empty/)
    expect(refused(' \u3000 ')).toMatch(/empty/)
    // Length is checked after NFKC: one code point that expands to 18 is still within the limit...
    expect(ok('\uFDFA')).toHaveLength(18)
    // ...but two of them are not.
    expect(refused('\uFDFA\uFDFA')).toMatch(/at most 24/)
  })

  it.each([
    ['\u0000', 'C0 control'],
    ['\t', 'C0 control'],
    ['\n', 'C0 control'],
    ['\u007F', 'DEL'],
    ['\u0085', 'C1 control'],
    ['\u00AD', 'soft hyphen'],
    ['\u034F', 'combining grapheme joiner'],
    ['\u061C', 'Arabic letter mark'],
    ['\u200B', 'zero width'],
    ['\u200C', 'zero width'],
    ['\u200D', 'zero width'],
    ['\u200E', 'left-to-right'],
    ['\u200F', 'right-to-left'],
    ['\u2028', 'line / paragraph'],
    ['\u202A', 'bidi embedding'],
    ['\u202E', 'bidi embedding / override'],
    ['\u2060', 'word joiner'],
    ['\u2066', 'bidi isolate'],
    ['\u2069', 'bidi isolate'],
    ['\u3164', 'Hangul filler'],
    ['\uFEFF', 'BOM'],
    ['\uFFA0', 'Hangul filler'], // NFKC turns it into U+1160, also refused
    ['\u{E0041}', 'tag character'],
    ['\uD800', 'lone surrogate'],
  ])('refuses U+%s inside a name (%s)', (ch, what) => {
    const reason = refused(`ab${ch}cd`)
    expect(reason).toBeDefined()
    expect(reason).toContain(what)
  })

  it('lists every refused range once, in order', () => {
    for (let i = 1; i < FORBIDDEN_CODE_POINTS.length; i++) expect(FORBIDDEN_CODE_POINTS[i]![0]).toBeGreaterThan(FORBIDDEN_CODE_POINTS[i - 1]![1])
  })

  it('refuses piles of combining marks but allows a few', () => {
    expect(ok('a\u0301\u0302')).toBe('a\u0301\u0302'.normalize('NFKC'))
    expect(refused('z\u0300\u0301\u0302\u0303\u0304\u0305')).toMatch(/combining marks/)
  })
})

describe('nameFromEmail', () => {
  it('takes the part before the last @, normalised', () => {
    expect(nameFromEmail('dora.d@example.org')).toEqual({ ok: true, name: 'dora.d' })
    expect(nameFromEmail('"a@b"@example.org')).toEqual({ ok: true, name: '"a@b"' })
    expect(nameFromEmail('ＢＯＢ@x.y')).toEqual({ ok: true, name: 'BOB' })
    expect(nameFromEmail('no-at-sign').ok).toBe(false)
    expect(nameFromEmail('@example.org').ok).toBe(false)
    expect(nameFromEmail('\u202Eevil@x.y').ok).toBe(false)
  })
})

describe('uniqueName', () => {
  const taken = (...names: string[]) => {
    const keys = new Set(names.map(nameKey))
    return (key: string) => keys.has(key)
  }

  it('keeps a free name', () => {
    expect(uniqueName('Bob', taken('Ann'))).toBe('Bob')
  })

  it('appends (2), (3)... comparing case- and width-insensitively', () => {
    expect(uniqueName('bob', taken('Bob'))).toBe('bob (2)')
    expect(uniqueName('BOB', taken('Bob', 'bob (2)'))).toBe('BOB (3)')
    expect(nameKey('Ｂｏｂ')).toBe(nameKey('BOB'))
  })

  it('shortens the base so the result stays within 24 code points', () => {
    const long = 'abcdefghijklmnopqrstuvwx' // 24
    const name = uniqueName(long, taken(long))
    expect(name).toBe('abcdefghijklmnopqrst (2)')
    expect([...name]).toHaveLength(24)
    const emoji = '😀'.repeat(24)
    const e = uniqueName(emoji, taken(emoji))
    expect([...e]).toHaveLength(24)
    expect(e.endsWith(' (2)')).toBe(true)
  })
})
