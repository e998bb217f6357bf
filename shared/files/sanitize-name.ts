/**
 * Makes a file name that a peer chose safe to show and to save: no directories, no control or
 * invisible characters, nothing Windows refuses or treats as a device. Pure, so both ends (and the
 * server before relaying) apply the same rules.
 */

/** Control, format (bidi overrides, zero-width, BOM, soft hyphen), line/paragraph separators, lone surrogates. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu
/** Refused in Windows file names (the separators were already cut away). */
const WINDOWS_FORBIDDEN = /[<>:"|?*]/g
/** Device names Windows opens instead of a file, whatever the extension (`con.txt` too). */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i
const FALLBACK = 'file'

export interface SanitizeOptions {
  /** Cap in UTF-8 bytes (what file systems count); the extension is kept when it can be. */
  maxBytes?: number
}

export function sanitizeFileName(input: string, options: SanitizeOptions = {}): string {
  const maxBytes = Math.max(16, options.maxBytes ?? 255)
  // Only the last path segment survives: `../../etc/passwd` becomes `passwd`.
  const segments = input.normalize('NFC').split(/[/\\]+/)
  let name = ''
  for (let i = segments.length - 1; i >= 0 && !name; i--) name = clean(segments[i]!)
  if (!name) return FALLBACK
  const dot = name.indexOf('.')
  const stem = dot === -1 ? name : name.slice(0, dot)
  if (WINDOWS_RESERVED.test(stem.trimEnd())) name = `_${name}`
  name = truncate(name, maxBytes)
  return name || FALLBACK
}

/** Invisible characters out, forbidden ones replaced, whitespace folded, edge dots and spaces trimmed. */
function clean(segment: string): string {
  const visible = segment.replace(INVISIBLE, '').replace(WINDOWS_FORBIDDEN, '_').replace(/\s+/gu, ' ')
  // Leading dots would hide the file (or spell `..`); trailing dots and spaces Windows drops silently.
  return visible.replace(/^[.\s]+/u, '').replace(/[.\s]+$/u, '')
}

const utf8 = new TextEncoder()
const bytesOf = (s: string) => utf8.encode(s).byteLength

/** Cuts whole code points from the stem so the name fits `maxBytes`, keeping a short extension. */
function truncate(name: string, maxBytes: number): string {
  if (bytesOf(name) <= maxBytes) return name
  const dot = name.lastIndexOf('.')
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : ''
  const budget = maxBytes - bytesOf(ext)
  let stem = ''
  let used = 0
  for (const ch of ext ? name.slice(0, dot) : name) {
    const n = bytesOf(ch)
    if (used + n > budget) break
    stem += ch
    used += n
  }
  return stem.replace(/[.\s]+$/u, '') + ext
}
