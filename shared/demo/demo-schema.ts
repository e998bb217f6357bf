import { defineSchema, t } from '../schema/index'

/** The demo's messages; both ends import this one declaration. */
export const demoSchema = defineSchema({
  chat: { channel: 'reliable', fields: { from: t.string({ maxLength: 24 }), text: t.string({ maxLength: 500 }) } },
  hello: { channel: 'reliable', direction: 'toClient', fields: { id: t.string({ maxLength: 64 }), online: t.uint16() } },
})
export type DemoSchema = typeof demoSchema
