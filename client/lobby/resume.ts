import { LobbyError } from '../../shared/lobby/index'
import type { DisconnectReason } from '../../shared/transport/index'

/**
 * Lost connections worth resuming; not when the server threw us out or went away on purpose.
 * `resume-failed`: the transport's session could not be resumed (its grace period is shorter than the
 * lobby's, or it ended); the lobby's own token may still bring the identity back on a new connection.
 * `slow-consumer`: e.g. a tab that was frozen; it may read again on a new connection.
 */
export const RESUMABLE: ReadonlySet<DisconnectReason> = new Set(['timeout', 'failed', 'closed', 'overflow', 'slow-consumer', 'handshake-timeout', 'resume-failed'])

/**
 * Tries `attempt` with a doubling wait (up to 4 s) until it succeeds, the server's grace period is
 * over, or `stopped()`. A refusal from the server (other than "disconnected") ends it at once.
 */
export async function autoResume(
  attempt: () => Promise<unknown>,
  o: { deadline: number; delayMs: number; stopped: () => boolean; failed: (err: LobbyError) => void },
): Promise<void> {
  let delay = o.delayMs
  let last: unknown
  while (!o.stopped() && Date.now() < o.deadline) {
    try {
      await attempt()
      return
    } catch (err) {
      last = err
      if (err instanceof LobbyError && err.code !== 'disconnected') break
    }
    await new Promise((r) => setTimeout(r, delay))
    delay = Math.min(delay * 2, 4000)
  }
  if (!o.stopped()) o.failed(new LobbyError('resume-failed', `could not resume: ${last instanceof Error ? last.message : 'grace period over'}`))
}
