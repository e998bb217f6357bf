import { SchemaError } from './errors'
import type { Reader } from './reader'
import type { Writer } from './writer'

/**
 * One declared field. `T` is the value the application sees; the wire form is a msgpack value.
 * Methods (not function properties) on purpose: TypeScript checks method parameters bivariantly, so a
 * `Field<number>` is usable wherever a `Field<unknown>` is expected.
 */
export interface Field<T> {
  /** Canonical text of the declaration; the schema fingerprint is a hash of these. */
  readonly signature: string
  /** Upper bound of the packed bytes of one value, so a frame can be refused before it is decoded. */
  readonly maxWireBytes: number
  readonly optional: boolean
  /** Checks `value` and returns its wire form. Throws SchemaError. */
  toWire(value: T, path: string): unknown
  /** Checks a decoded wire value and returns the application value. Throws SchemaError. */
  fromWire(wire: unknown, path: string): T
  /**
   * Checks `value` and appends its msgpack (the bytes msgpackr would pack for `toWire(value)`).
   * Throws SchemaError with a path relative to this field (`''`, `.key`, `[3].x`): each composite
   * prefixes its part on the way out, so no path is built unless something fails.
   */
  write(value: T, w: Writer): void
  /** Reads and checks one value straight from the frame. Throws SchemaError with a relative path. */
  read(r: Reader): T
}

/** The application type of a field. */
export type Infer<F> = F extends Field<infer T> ? T : never

export type FieldMap = { readonly [key: string]: Field<unknown> }

type OptionalKeys<F extends FieldMap> = {
  [K in keyof F]: F[K] extends { readonly optional: true } ? K : never
}[keyof F]
type Simplify<T> = { [K in keyof T]: T[K] } & {}

/** The object type of a field map: optional fields become optional keys. */
export type InferFields<F extends FieldMap> = Simplify<
  { [K in Exclude<keyof F, OptionalKeys<F>>]: Infer<F[K]> } & { [K in OptionalKeys<F>]?: Infer<F[K]> }
>

export function fail(code: SchemaError['code'], path: string, detail: string): never {
  throw new SchemaError(code, path, detail)
}

/** Rethrows a SchemaError from inside a composite with `prefix` (`.key`, `[i]`) put in front of its path. */
export function within(err: unknown, prefix: string): never {
  if (err instanceof SchemaError) throw new SchemaError(err.code, prefix + err.path, err.detail)
  throw err
}

export function describe(wire: unknown): string {
  if (wire === null) return 'null'
  if (Array.isArray(wire)) return 'array'
  if (wire instanceof Uint8Array) return 'binary'
  return typeof wire
}

/** msgpack header bytes for a string, binary or array of `n` elements/bytes (worst case). */
export const MSGPACK_HEADER = 5
