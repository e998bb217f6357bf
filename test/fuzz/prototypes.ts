/** A fingerprint of the built-in prototypes a decoder could pollute: own keys and their values' identity. */
const PROTOTYPES = { Object: Object.prototype, Array: Array.prototype, Function: Function.prototype, String: String.prototype, Number: Number.prototype }

const ids = new WeakMap<object, number>()
let next = 0
function identity(v: unknown): string {
  if ((typeof v !== 'object' && typeof v !== 'function') || v === null) return `${typeof v}:${String(v)}`
  let id = ids.get(v)
  if (id === undefined) ids.set(v, (id = ++next))
  return `ref:${id}`
}

export function prototypesSnapshot(): string {
  const parts: string[] = []
  for (const [name, proto] of Object.entries(PROTOTYPES)) {
    parts.push(`${name}:${identity(Object.getPrototypeOf(proto))}`)
    for (const key of Reflect.ownKeys(proto)) {
      const d = Object.getOwnPropertyDescriptor(proto, key)!
      parts.push(`${name}.${String(key)}=${identity(d.value)}/${identity(d.get)}/${identity(d.set)}/${d.writable}${d.enumerable}${d.configurable}`)
    }
  }
  return parts.join('\n')
}
