import { t, type Declarations } from '../schema/index'

/** Longest SDP relayed. An audio + video offer from a browser is 3-8 KB; screen share adds a few more. */
export const MAX_SDP_CHARS = 16 * 1024
/** Longest ICE candidate line (real ones are 80-250 characters). */
export const MAX_CANDIDATE_CHARS = 1024

const peerId = () => t.string({ maxLength: 64 })
const candidateFields = {
  /** Empty string: end of candidates. */
  candidate: t.string({ maxLength: MAX_CANDIDATE_CHARS }),
  sdpMid: t.optional(t.string({ maxLength: 32 })),
  sdpMLineIndex: t.optional(t.uint16()),
  usernameFragment: t.optional(t.string({ maxLength: 256 })),
}
const descriptionFields = { type: t.enum(['offer', 'answer']), sdp: t.string({ maxLength: MAX_SDP_CHARS }) }

export const CALL_END_REASONS = ['hangup', 'timeout', 'left'] as const
export type CallEndReason = (typeof CALL_END_REASONS)[number]

export const SIGNAL_ERROR_CODES = ['not-allowed', 'offline', 'rate-limited', 'busy', 'invalid'] as const
export type SignalErrorCode = (typeof SIGNAL_ERROR_CODES)[number]

/**
 * WebRTC signalling relayed by peer id, for browser-to-browser voice and video. What a client sends
 * names only the target (`to`); what it receives names the sender (`from`), which the server stamps.
 * There is no way to declare a sender. Peers in one room may signal each other; anyone else needs a
 * call the callee accepted (`callRequest` -> `callIncoming` -> `callAnswer`).
 */
export const signalMessages = {
  rtcDescription: { channel: 'reliable', direction: 'toServer', fields: { to: peerId(), ...descriptionFields } },
  rtcCandidate: { channel: 'reliable', direction: 'toServer', fields: { to: peerId(), ...candidateFields } },
  callRequest: { channel: 'reliable', direction: 'toServer', fields: { to: peerId() } },
  /** `to`: the caller being answered. */
  callAnswer: { channel: 'reliable', direction: 'toServer', fields: { to: peerId(), accept: t.bool() } },
  /** Ends a call (or withdraws a request): signalling between the two stops unless they share a room. */
  callHangup: { channel: 'reliable', direction: 'toServer', fields: { to: peerId() } },

  rtcDescriptionFrom: { channel: 'reliable', direction: 'toClient', fields: { from: peerId(), ...descriptionFields } },
  rtcCandidateFrom: { channel: 'reliable', direction: 'toClient', fields: { from: peerId(), ...candidateFields } },
  callIncoming: { channel: 'reliable', direction: 'toClient', fields: { from: peerId(), name: t.string({ maxLength: 64 }) } },
  callAnswered: { channel: 'reliable', direction: 'toClient', fields: { from: peerId(), accept: t.bool() } },
  callEnded: { channel: 'reliable', direction: 'toClient', fields: { from: peerId(), reason: t.enum(CALL_END_REASONS) } },
  /** A signalling message or call request of ours was refused; `to` is whom it was for. */
  signalError: {
    channel: 'reliable',
    direction: 'toClient',
    fields: { to: peerId(), code: t.enum(SIGNAL_ERROR_CODES), detail: t.string({ maxLength: 200 }) },
  },
} as const satisfies Declarations

export type SignalDeclarations = typeof signalMessages
