import { defineSchema, FIRST_APP_ID, t } from '../schema/index'

/** Why a connection ended. Sent in `bye` so the other end learns it too. */
export const DISCONNECT_REASONS = [
  'closed',
  'timeout',
  'kicked',
  'rate-limit',
  'schema-mismatch',
  'handshake-timeout',
  'overflow',
  'failed',
  'server-shutdown',
  // Appended (the enum travels as an index): a peer that stopped reading; one that sent too many bad frames.
  'slow-consumer',
  'protocol-error',
  /** A resume presented an unknown, used or expired session token (or the session could not be resumed). */
  'resume-failed',
] as const
export type DisconnectReason = (typeof DISCONNECT_REASONS)[number]

/**
 * Bumped when the transport's own framing changes. 3: bye reasons slow-consumer, protocol-error and
 * resume-failed; sessions (welcome carries a resume token; resume, resumed and ack messages).
 */
export const PROTOCOL_VERSION = 3

/** The transport's own messages, ids 0..15, below every application schema. */
export const engineSchema = defineSchema(
  {
    hello: { channel: 'reliable', direction: 'toServer', fields: { protocol: t.uint16(), fingerprint: t.string({ maxLength: 64 }) } },
    /** `resumeToken`: the secret that resumes this session on a new connection ('' = no session); `graceMs`: how long the server waits for it. */
    welcome: {
      channel: 'reliable',
      direction: 'toClient',
      fields: { id: t.string({ maxLength: 64 }), serverTime: t.float64(), resumeToken: t.string({ maxLength: 64 }), graceMs: t.uint32() },
    },
    bye: { channel: 'reliable', fields: { reason: t.enum(DISCONNECT_REASONS), detail: t.string({ maxLength: 200 }) } },
    /** `lossIn`: what the sender measured arriving from us, in 1/10,000, so we learn our outbound loss. */
    ping: { channel: 'unreliable', fields: { t: t.float64(), lossIn: t.uint16() } },
    /** Echoes `t`; `time` is the responder's clock when it answered (for clock sync). */
    pong: { channel: 'unreliable', fields: { t: t.float64(), time: t.float64() } },
    /**
     * Session layer (shared/transport/session.ts). `resume` replaces `hello` on a new connection: the
     * token from the welcome (or the last `resumed`) and how many application reliable messages we
     * received; `resumed` answers with the server's count and the next token. `ack`: reliable messages
     * received so far (cumulative), so the sender can forget them.
     */
    resume: {
      channel: 'reliable',
      direction: 'toServer',
      fields: { protocol: t.uint16(), fingerprint: t.string({ maxLength: 64 }), token: t.string({ maxLength: 64 }), received: t.float64() },
    },
    resumed: { channel: 'reliable', direction: 'toClient', fields: { received: t.float64(), token: t.string({ maxLength: 64 }) } },
    ack: { channel: 'unreliable', fields: { n: t.float64() } },
  },
  { firstId: 0 },
)
if (engineSchema.byId.length > FIRST_APP_ID) throw new Error('engine ids overflow into the application range')

export type EngineSchema = typeof engineSchema
