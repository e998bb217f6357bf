import { t, type Declarations } from '../schema/index'

/** Largest chunk a sender may put in one `fileChunk`; the sender picks its size up to this. */
export const MAX_FILE_CHUNK_BYTES = 64 * 1024
/** Ids travel as text: peer ids come from the lobby, transfer ids from the sender (32 hex chars). */
const peerId = () => t.string({ maxLength: 64 })
const transferId = () => t.string({ maxLength: 32 })

/** Why a transfer ended early. Stable strings: applications may show or count them. */
export const FILE_CANCEL_REASONS = [
  'declined',
  'cancelled',
  'timeout',
  'peer-left',
  'too-large',
  'hash-mismatch',
  'invalid',
  'busy',
  'no-receivers',
  'protocol',
  /** Direct transfers are relayed by one server: the receiver is connected to another node of the cluster. */
  'other-node',
] as const
export type FileCancelReason = (typeof FILE_CANCEL_REASONS)[number]

/** What a sender learns about each receiver of its transfer. */
export const FILE_PEER_STATES = ['accepted', 'declined', 'cancelled', 'left', 'done'] as const
export type FilePeerState = (typeof FILE_PEER_STATES)[number]

/**
 * File transfer relayed by the server, all on the reliable channel. Flow: `fileOffer` -> receivers
 * get `fileIncoming` and answer -> sender gets `fileStart` (with a byte window) -> `fileChunk`s within
 * the window -> receivers `fileAck` what they hold -> sender gets `fileCredit` (the slowest receiver's
 * bytes), which opens the window again. No data moves before an answer; the server holds no file.
 * A `sender` field in a receiver's message names the other party; nobody declares who they are.
 */
export const fileMessages = {
  fileOffer: {
    channel: 'reliable',
    direction: 'toServer',
    fields: {
      transferId: transferId(),
      /** A peer id, or 'room' for everyone in the sender's room. */
      to: peerId(),
      name: t.string({ maxLength: 255 }),
      size: t.uint32(),
      sha256: t.string({ maxLength: 64 }),
      mime: t.string({ maxLength: 127 }),
    },
  },
  fileAnswer: { channel: 'reliable', direction: 'toServer', fields: { sender: peerId(), transferId: transferId(), accept: t.bool() } },
  fileChunk: {
    channel: 'reliable',
    direction: 'toServer',
    fields: { transferId: transferId(), offset: t.uint32(), data: t.binary({ maxLength: MAX_FILE_CHUNK_BYTES }) },
  },
  /** `bytes`: everything below this offset has arrived (and, at the end, the SHA-256 matched). */
  fileAck: { channel: 'reliable', direction: 'toServer', fields: { sender: peerId(), transferId: transferId(), bytes: t.uint32() } },
  /** From the sender: `sender` left out. From a receiver: `sender` names whose transfer to drop. */
  fileCancel: { channel: 'reliable', direction: 'toServer', fields: { transferId: transferId(), sender: t.optional(peerId()) } },

  fileIncoming: {
    channel: 'reliable',
    direction: 'toClient',
    fields: {
      from: peerId(),
      fromName: t.string({ maxLength: 64 }),
      transferId: transferId(),
      name: t.string({ maxLength: 255 }),
      size: t.uint32(),
      sha256: t.string({ maxLength: 64 }),
      mime: t.string({ maxLength: 127 }),
      toRoom: t.bool(),
    },
  },
  /** Every receiver answered (or timed out); at least one accepted. The sender may keep `window` bytes unacknowledged. */
  fileStart: { channel: 'reliable', direction: 'toClient', fields: { transferId: transferId(), receivers: t.uint16(), window: t.uint32() } },
  fileCredit: { channel: 'reliable', direction: 'toClient', fields: { transferId: transferId(), acked: t.uint32() } },
  filePeer: { channel: 'reliable', direction: 'toClient', fields: { transferId: transferId(), peer: peerId(), state: t.enum(FILE_PEER_STATES) } },
  fileData: {
    channel: 'reliable',
    direction: 'toClient',
    fields: { sender: peerId(), transferId: transferId(), offset: t.uint32(), data: t.binary({ maxLength: MAX_FILE_CHUNK_BYTES }) },
  },
  /** To the sender: every receiver that accepted holds the file and verified its hash. */
  fileDone: { channel: 'reliable', direction: 'toClient', fields: { transferId: transferId() } },
  /** `sender` set: a transfer you were receiving; left out: your own transfer. */
  fileCancelled: {
    channel: 'reliable',
    direction: 'toClient',
    fields: { transferId: transferId(), sender: t.optional(peerId()), reason: t.enum(FILE_CANCEL_REASONS) },
  },
} as const satisfies Declarations

export type FileDeclarations = typeof fileMessages

/** Lowercase hex SHA-256, as offers carry it. */
export const SHA256_HEX = /^[0-9a-f]{64}$/
/** `type/subtype`; anything else is replaced by application/octet-stream before it is relayed. */
export const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$/i
export const TRANSFER_ID = /^[0-9A-Za-z_-]{8,32}$/
