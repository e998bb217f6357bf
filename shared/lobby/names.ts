/**
 * Display names, pure so both ends can use it: the client checks before sending, the server decides.
 * NFKC first (so full-width and compatibility forms become their plain letters, and "ｂｏｂ" is "bob"),
 * then refuse what is invisible or reorders text, then trim and collapse spaces, then count.
 */

/**
 * Code points refused after NFKC: controls, zero-width and other invisible characters, bidi controls.
 * An invisible or bidi character lets two names look identical, or makes a name reverse the text that
 * follows it in a chat line. (Zero width joiner is in the list, so emoji ZWJ sequences are refused too.)
 */
export const FORBIDDEN_CODE_POINTS: readonly (readonly [first: number, last: number, what: string])[] = [
  [0x0000, 0x001f, 'C0 control'],
  [0x007f, 0x009f, 'DEL / C1 control'],
  [0x00ad, 0x00ad, 'soft hyphen'],
  [0x034f, 0x034f, 'combining grapheme joiner'],
  [0x061c, 0x061c, 'Arabic letter mark (bidi)'],
  [0x115f, 0x1160, 'Hangul filler'],
  [0x17b4, 0x17b5, 'Khmer invisible vowel'],
  [0x180b, 0x180f, 'Mongolian variation selector / vowel separator'],
  [0x200b, 0x200d, 'zero width space / non-joiner / joiner'],
  [0x200e, 0x200f, 'left-to-right / right-to-left mark (bidi)'],
  [0x2028, 0x2029, 'line / paragraph separator'],
  [0x202a, 0x202e, 'bidi embedding / override (LRE RLE PDF LRO RLO)'],
  [0x2060, 0x2064, 'word joiner / invisible operator'],
  [0x2066, 0x2069, 'bidi isolate (LRI RLI FSI PDI)'],
  [0x206a, 0x206f, 'deprecated format character'],
  [0x3164, 0x3164, 'Hangul filler'],
  [0xd800, 0xdfff, 'lone surrogate'],
  [0xfeff, 0xfeff, 'zero width no-break space (BOM)'],
  [0xffa0, 0xffa0, 'halfwidth Hangul filler'],
  [0xfff9, 0xfffb, 'interlinear annotation'],
  [0xe0000, 0xe007f, 'tag character'],
]

export const NAME_MAX_CODE_POINTS = 24

export type NameResult = { ok: true; name: string } | { ok: false; reason: string }

/** The first forbidden code point in `text`, described, or undefined. */
export function findForbidden(text: string, ranges = FORBIDDEN_CODE_POINTS): string | undefined {
  for (const ch of text) {
    const cp = ch.codePointAt(0)!
    for (const [first, last, what] of ranges)
      if (cp >= first && cp <= last) return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} (${what}) is not allowed`
  }
  return undefined
}

/** Five or more combining marks in a row only stack glyphs over neighbouring lines ("zalgo"). */
const MARK_PILE = /\p{M}{5,}/u

/** NFKC, refuse invisible/bidi characters, trim, collapse runs of spaces, then 1..max code points. */
export function normalizeName(input: string, maxCodePoints = NAME_MAX_CODE_POINTS): NameResult {
  const nfkc = input.normalize('NFKC')
  const forbidden = findForbidden(nfkc)
  if (forbidden) return { ok: false, reason: forbidden }
  if (MARK_PILE.test(nfkc)) return { ok: false, reason: 'too many combining marks in a row' }
  const name = nfkc.trim().replace(/\s+/gu, ' ')
  const length = [...name].length
  if (length === 0) return { ok: false, reason: 'name is empty' }
  if (length > maxCodePoints) return { ok: false, reason: `name is ${length} characters; at most ${maxCodePoints}` }
  return { ok: true, name }
}

/** The part of an address before its (last) '@', as a name. The address itself is never kept. */
export function nameFromEmail(email: string): NameResult {
  const at = email.lastIndexOf('@')
  if (at <= 0) return { ok: false, reason: 'not an email address' }
  return normalizeName(email.slice(0, at))
}

/** What two names are compared by: "Bob", "BOB" and "ｂｏｂ" are the same name. */
export function nameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().normalize('NFKC')
}

/**
 * `name`, or `name (2)`, `name (3)` ... whichever is free; the base is shortened so the result stays
 * within `maxCodePoints`. `taken` receives a `nameKey`.
 */
export function uniqueName(name: string, taken: (key: string) => boolean, maxCodePoints = NAME_MAX_CODE_POINTS): string {
  if (!taken(nameKey(name))) return name
  const chars = [...name]
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`
    const base = chars.slice(0, Math.max(1, maxCodePoints - suffix.length)).join('').trimEnd()
    const candidate = base + suffix
    if (!taken(nameKey(candidate))) return candidate
  }
}
