import { LOBBY_LIMITS } from '../../shared/lobby/index'

/**
 * Scale-out: where a player can resume if its node goes away. The server lists the cluster's live
 * nodes (`clusterNodes`, its own first); automatic resume tries them in turn, our own node first.
 */

/** The server's list, keeping only absolute http(s) URLs (anything else is not a node a page can reach). */
export function usableNodeUrls(urls: readonly string[]): string[] {
  const out: string[] = []
  for (const u of urls.slice(0, LOBBY_LIMITS.maxNodes)) {
    try {
      const url = new URL(u)
      if ((url.protocol === 'http:' || url.protocol === 'https:') && !out.includes(u)) out.push(u)
    } catch {
      // not a URL: skipped
    }
  }
  return out
}

export interface ResumeRoutes<C> {
  /** A new connection to our own node. */
  reconnect?: () => Promise<C>
  /** A new connection to another node, by its public URL. */
  connectTo?: (url: string) => Promise<C>
}

/**
 * The connections automatic resume opens, in turn: our own node first (`reconnect`, or `connectTo`
 * its URL), then every other node of the cluster (`connectTo`). Empty: there is no way back.
 */
export function resumeTargets<C>(nodes: readonly string[], r: ResumeRoutes<C>): (() => Promise<C>)[] {
  const [own, ...others] = nodes
  const connectTo = r.connectTo
  const targets: (() => Promise<C>)[] = []
  if (r.reconnect) targets.push(r.reconnect)
  else if (connectTo && own !== undefined) targets.push(() => connectTo(own))
  if (connectTo) for (const url of others) targets.push(() => connectTo(url))
  return targets
}

/** One attempt per call, going round the targets. */
export function inTurn<C>(targets: readonly (() => Promise<C>)[]): () => Promise<C> {
  let turn = 0
  return () => targets[turn++ % targets.length]!()
}
