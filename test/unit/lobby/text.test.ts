import { describe, expect, it } from 'vitest'
import { checkChatText, checkMeta, metaToRecord, recordToMeta } from '../../../shared/lobby/index'

describe('checkChatText', () => {
  it('trims and accepts text with new lines and emoji sequences', () => {
    expect(checkChatText('  hi\nthere 👨‍👩‍👧 ')).toEqual({ ok: true, text: 'hi\nthere 👨‍👩‍👧' })
  })

  it('refuses empty, too long, controls and bidi overrides', () => {
    expect(checkChatText('   ').ok).toBe(false)
    expect(checkChatText('x'.repeat(500)).ok).toBe(true)
    expect(checkChatText('x'.repeat(501)).ok).toBe(false)
    expect(checkChatText('x'.repeat(11), 10).ok).toBe(false)
    for (const ch of ['\u0000', '\t', '\r', '\u001B', '\u0085', '\u202E', '\u2067', '\uDC00'])
      expect(checkChatText(`a${ch}b`), JSON.stringify(ch)).toMatchObject({ ok: false })
  })
})

describe('checkMeta', () => {
  it('accepts short identifier keys, each once', () => {
    expect(checkMeta([{ key: 'mode', value: 'ctf' }, { key: 'map.v2', value: 'Dust II' }])).toEqual({
      ok: true,
      entries: [{ key: 'mode', value: 'ctf' }, { key: 'map.v2', value: 'Dust II' }],
    })
  })

  it('refuses odd keys, duplicates and invisible characters in values', () => {
    expect(checkMeta([{ key: 'has space', value: 'x' }]).ok).toBe(false)
    expect(checkMeta([{ key: '', value: 'x' }]).ok).toBe(false)
    expect(checkMeta([{ key: 'a', value: '1' }, { key: 'a', value: '2' }]).ok).toBe(false)
    expect(checkMeta([{ key: 'a', value: 'x\u200By' }]).ok).toBe(false)
  })

  it('converts between a map and entries', () => {
    expect(metaToRecord(recordToMeta({ mode: 'ffa', map: 'arena' }))).toEqual({ mode: 'ffa', map: 'arena' })
  })
})
