import { LobbyError, type LobbyPayload } from '../../shared/lobby/index'
import type { Schema } from '../../shared/schema/index'
import type { GameClient } from '../transport/game-client'

export type RoomRedirect = LobbyPayload<'roomRedirect'>

export interface Mover {
  connectTo: ((url: string) => Promise<GameClient<Schema>>) | undefined
  current(): GameClient<Schema>
  /** Resumes our identity on `next` (the lobby listens on it from now on); true when the token was honoured. */
  resume(next: GameClient<Schema>): Promise<boolean>
  seat(seat: string): Promise<unknown>
}

/**
 * The room is on another node: connect there, resume the same identity (peer id, name, token), take
 * the seat, and let the old connection go. The old node hands the peer over quietly: nobody sees it leave.
 */
export async function moveToNode(redirect: RoomRedirect, m: Mover): Promise<void> {
  if (!m.connectTo) throw new LobbyError('invalid-request', `room ${redirect.roomId} is on another node (${redirect.url}); give LobbyClient the connectTo option`)
  const old = m.current()
  const next = await m.connectTo(redirect.url)
  let resumed: boolean
  try {
    resumed = await m.resume(next)
  } catch (err) {
    next.close()
    throw err
  }
  if (!resumed) throw new LobbyError('resume-failed', 'the other node did not take our identity over')
  await m.seat(redirect.seat)
  old.close()
}
