import type { DisconnectReason } from '../../shared/protocol/engine'
import type { ClientMessage, Schema, ServerMessage } from '../../shared/schema/index'
import { Link, type LinkOptions } from '../../shared/transport/index'
import type { DataPipe } from '../../shared/transport/pipe'
import { LinkSession, type ChannelPipes, type SessionOptions } from '../../shared/transport/session'

/** One client, as the server sees it: a Link that receives client messages and sends server messages. */
export class ServerConnection<S extends Schema> extends Link<S, ClientMessage<S>, ServerMessage<S>> {
  /** Groups this connection belongs to (maintained by Group). */
  readonly groups = new Set<string>()
  /** Free for the application: player id, name, room... */
  data: Record<string, unknown> = {}
  /** The transport connection carrying this one now (its secret setup id); another after a session resume. */
  channelId: string
  /** The data channels of that connection. */
  channelPipes: ChannelPipes
  /** This connection was a resume that handed its channels to `handedOver`, then ended. */
  handedOver: ServerConnection<S> | undefined
  /** The resumable session (undefined when the server turned sessions off). */
  declare session: LinkSession | undefined

  constructor(
    /** Assigned by the server; never chosen by the client. */
    readonly id: string,
    schema: S,
    pipes: { unreliable: DataPipe; reliable: DataPipe },
    options: Partial<LinkOptions>,
    session?: SessionOptions,
    /** The transport's own id for the connection carrying this one (secret: never shown to players). */
    channelId: string = id,
  ) {
    const s = session ? new LinkSession(pipes, session) : undefined
    super(schema, s ? s.pipes : pipes, 'server', options)
    this.channelId = channelId
    this.channelPipes = pipes
    s?.bind(this)
  }

  /** Disconnects the client, telling it why. */
  kick(detail = ''): void {
    this.close('kicked', detail)
  }

  /** The WebRTC connection failed or closed under us: suspend the session if there is one, else end. */
  connectionLost(reason: DisconnectReason, detail: string): void {
    if (this.closed) return
    if (!this.session?.lost(reason, detail)) this.close(reason, detail, false)
  }
}
