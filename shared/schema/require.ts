import { defineSchema, type Declarations, type Schema } from './define'

/** Every way `schema` differs from `declarations` (missing message, other payload, channel or direction). */
export function schemaProblems(schema: Schema, declarations: Declarations): string[] {
  const needed = defineSchema(declarations)
  const problems: string[] = []
  for (const [name, spec] of needed.byName) {
    const got = schema.byName.get(name)
    if (!got) problems.push(`'${name}' is missing`)
    else if (got.payload.signature !== spec.payload.signature) problems.push(`'${name}' is declared ${got.payload.signature}, expected ${spec.payload.signature}`)
    else if (got.channel !== spec.channel || got.direction !== spec.direction)
      problems.push(`'${name}' is ${got.channel}/${got.direction}, expected ${spec.channel}/${spec.direction}`)
  }
  return problems
}

/**
 * Checks that an application's schema carries every message a feature needs, declared the same way
 * (payload signature, channel, direction), so the feature may treat the app's server or client as one
 * of its own narrower schema. Ids may differ: they follow the app's declaration order, and both ends
 * use the same composed schema. Throws an Error naming each missing or different message.
 */
export function requireMessages(schema: Schema, declarations: Declarations, feature: string): void {
  const problems = schemaProblems(schema, declarations)
  if (problems.length > 0)
    throw new Error(`${feature} needs its messages in the application schema (spread them into defineSchema): ${problems.join('; ')}`)
}
