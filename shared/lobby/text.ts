/** Chat text and room metadata checks, pure and shared (the client checks early, the server decides). */
import { findForbidden } from './names'
import { LOBBY_LIMITS } from './fields'

/** Chat may carry emoji ZWJ sequences and new lines, but not controls or text-reversing bidi controls. */
const CHAT_FORBIDDEN: readonly (readonly [number, number, string])[] = [
  [0x0000, 0x0009, 'C0 control'],
  [0x000b, 0x001f, 'C0 control'],
  [0x007f, 0x009f, 'DEL / C1 control'],
  [0x202a, 0x202e, 'bidi embedding / override'],
  [0x2066, 0x2069, 'bidi isolate'],
  [0xd800, 0xdfff, 'lone surrogate'],
]

export type TextResult = { ok: true; text: string } | { ok: false; reason: string }

/** Trimmed, non-empty, at most `maxLength` UTF-16 units, no controls other than new line. */
export function checkChatText(text: string, maxLength: number = LOBBY_LIMITS.chatLength): TextResult {
  const trimmed = text.trim()
  if (trimmed.length === 0) return { ok: false, reason: 'empty message' }
  if (trimmed.length > maxLength) return { ok: false, reason: `message of ${trimmed.length} characters; at most ${maxLength}` }
  const forbidden = findForbidden(trimmed, CHAT_FORBIDDEN)
  if (forbidden) return { ok: false, reason: forbidden }
  return { ok: true, text: trimmed }
}

export type MetaEntry = { key: string; value: string }
export type MetaResult = { ok: true; entries: MetaEntry[] } | { ok: false; reason: string }

const META_KEY = /^[A-Za-z0-9_.-]{1,16}$/

/** Keys are short identifiers, each once; values are plain text without controls or bidi characters. */
export function checkMeta(entries: readonly MetaEntry[]): MetaResult {
  const seen = new Set<string>()
  for (const { key, value } of entries) {
    if (!META_KEY.test(key)) return { ok: false, reason: `meta key "${key}" must match ${META_KEY.source}` }
    if (seen.has(key)) return { ok: false, reason: `meta key "${key}" given twice` }
    seen.add(key)
    const forbidden = findForbidden(value)
    if (forbidden) return { ok: false, reason: `meta ${key}: ${forbidden}` }
  }
  return { ok: true, entries: entries.map((e) => ({ key: e.key, value: e.value })) }
}

export function metaToRecord(entries: readonly MetaEntry[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const { key, value } of entries) out[key] = value
  return out
}

export function recordToMeta(meta: Readonly<Record<string, string>>): MetaEntry[] {
  return Object.entries(meta).map(([key, value]) => ({ key, value }))
}
