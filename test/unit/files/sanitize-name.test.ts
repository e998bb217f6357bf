import { describe, expect, it } from 'vitest'
import { sanitizeFileName } from '../../../shared/files/sanitize-name'

const utf8Bytes = (s: string) => new TextEncoder().encode(s).byteLength

describe('sanitizeFileName', () => {
  it('keeps ordinary names', () => {
    expect(sanitizeFileName('holiday photo (1).jpg')).toBe('holiday photo (1).jpg')
    expect(sanitizeFileName('Ünïcödé 漢字.txt')).toBe('Ünïcödé 漢字.txt')
    expect(sanitizeFileName('archive.tar.gz')).toBe('archive.tar.gz')
  })

  it('drops directories and parent references', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd')
    expect(sanitizeFileName('..\\..\\Windows\\win.ini')).toBe('win.ini')
    expect(sanitizeFileName('/abs/path/to/file.txt')).toBe('file.txt')
    expect(sanitizeFileName('dir/')).toBe('dir')
    expect(sanitizeFileName('..')).toBe('file')
    expect(sanitizeFileName('../')).toBe('file')
    expect(sanitizeFileName('C:\\x\\y.txt')).toBe('y.txt')
  })

  it('removes NUL, control, bidi and zero-width characters', () => {
    expect(sanitizeFileName('evil\u0000.txt')).toBe('evil.txt')
    expect(sanitizeFileName('a\u0007b\u001bc\u007f\u0085.txt')).toBe('abc.txt')
    // U+202E (right-to-left override) would show `invoice‮fdp.exe` as `invoiceexe.pdf`.
    expect(sanitizeFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe')
    expect(sanitizeFileName('\u2066a\u2069\u200Bb\u200C\u200D\u2060\uFEFFc.png')).toBe('abc.png')
    expect(sanitizeFileName('line\u2028break\u2029.txt')).toBe('linebreak.txt')
    expect(sanitizeFileName('tab\there\nnew.txt')).toBe('tabherenew.txt')
    expect(sanitizeFileName('lone\uD800surrogate.txt')).toBe('lonesurrogate.txt')
  })

  it('replaces characters Windows refuses', () => {
    expect(sanitizeFileName('what?<is>:this|"*.txt')).toBe('what__is__this___.txt')
  })

  it('defuses Windows device names, with or without an extension', () => {
    expect(sanitizeFileName('CON')).toBe('_CON')
    expect(sanitizeFileName('nul.txt')).toBe('_nul.txt')
    expect(sanitizeFileName('com1.tar.gz')).toBe('_com1.tar.gz')
    expect(sanitizeFileName('LPT9')).toBe('_LPT9')
    expect(sanitizeFileName('aux ')).toBe('_aux')
    expect(sanitizeFileName('console.log')).toBe('console.log')
    expect(sanitizeFileName('com10')).toBe('com10')
  })

  it('trims trailing dots and spaces, and leading dots', () => {
    expect(sanitizeFileName('report.pdf. . ')).toBe('report.pdf')
    expect(sanitizeFileName('  name  ')).toBe('name')
    expect(sanitizeFileName('.bashrc')).toBe('bashrc')
    expect(sanitizeFileName('...')).toBe('file')
  })

  it('falls back when nothing is left', () => {
    expect(sanitizeFileName('')).toBe('file')
    expect(sanitizeFileName('\u200B\u202E')).toBe('file')
    expect(sanitizeFileName('///')).toBe('file')
  })

  it('caps the length in UTF-8 bytes, keeping the extension and whole characters', () => {
    const long = sanitizeFileName(`${'a'.repeat(400)}.txt`)
    expect(utf8Bytes(long)).toBe(255)
    expect(long.endsWith('.txt')).toBe(true)
    const wide = sanitizeFileName(`${'漢'.repeat(200)}.png`, { maxBytes: 100 })
    expect(utf8Bytes(wide)).toBeLessThanOrEqual(100)
    expect(wide).toMatch(/^漢+\.png$/)
    const emoji = sanitizeFileName('😀'.repeat(100), { maxBytes: 30 })
    expect(emoji).toBe('😀'.repeat(7))
  })

  it('is idempotent', () => {
    for (const s of ['../a/b\u202E.exe', 'CON.txt', 'x. .', `${'y'.repeat(300)}.md`, 'ok.txt']) expect(sanitizeFileName(sanitizeFileName(s))).toBe(sanitizeFileName(s))
  })
})
