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

/**
 * What a built-in field is, for the generated codec (codegen.ts). Kept beside the field in a WeakMap,
 * not on it: a copy or a hand-made Field (`{ ...t.uint8(), read }`) has no shape, so it only ever
 * runs through its own closures, and generated code can never disagree with them.
 */
export type FieldShape =
  | { readonly kind: 'int'; readonly min: number; readonly max: number }
  /** Bounds already rounded to float32, as the closures compare them. */
  | { readonly kind: 'float32'; readonly min: number | undefined; readonly max: number | undefined }
  | { readonly kind: 'float64'; readonly min: number | undefined; readonly max: number | undefined }
  | { readonly kind: 'quantized'; readonly min: number; readonly step: number; readonly steps: number }
  | { readonly kind: 'bool' }
  | { readonly kind: 'string'; readonly maxLength: number }
  | { readonly kind: 'enum'; readonly values: readonly string[]; readonly index: ReadonlyMap<string, number> }
  | { readonly kind: 'binary'; readonly maxLength: number }
  | { readonly kind: 'array'; readonly item: Field<unknown>; readonly maxLength: number }
  | { readonly kind: 'object'; readonly keys: readonly string[]; readonly fields: readonly Field<unknown>[] }
  | { readonly kind: 'optional'; readonly inner: Field<unknown> }

const shapes = new WeakMap<object, FieldShape>()

/** Records what `field` is (builders only) and returns it. */
export function withShape<F extends Field<unknown>>(field: F, shape: FieldShape): F {
  shapes.set(field, shape)
  return field
}

export function shapeOf(field: Field<unknown>): FieldShape | undefined {
  return shapes.get(field)
}
