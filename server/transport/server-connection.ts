import type { ClientMessage, Schema, ServerMessage } from '../../shared/schema/index'
import { Link, type LinkOptions } from '../../shared/transport/index'
import type { DataPipe } from '../../shared/transport/pipe'

/** One client, as the server sees it: a Link that receives client messages and sends server messages. */
export class ServerConnection<S extends Schema> extends Link<S, ClientMessage<S>, ServerMessage<S>> {
  /** Groups this connection belongs to (maintained by Group). */
  readonly groups = new Set<string>()
  /** Free for the application: player id, name, room... */
  data: Record<string, unknown> = {}

  constructor(
    /** Assigned by the server; never chosen by the client. */
    readonly id: string,
    schema: S,
    pipes: { unreliable: DataPipe; reliable: DataPipe },
    options: Partial<LinkOptions>,
  ) {
    super(schema, pipes, 'server', options)
  }

  /** Disconnects the client, telling it why. */
  kick(detail = ''): void {
    this.close('kicked', detail)
  }
}
