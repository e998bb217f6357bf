import type { DataChannelPipe } from './datachannel-pipe'
import type { GeckosConnection, GeckosServerChannel } from './geckos-internals'

/**
 * Makes closing `peer` also run `release` (its setup slot and connection ticket) and close both of its
 * data channels, whatever their state. A data channel never closed from JS keeps its native callbacks
 * (global handles) forever, and through them its pipe's whole connection: ~27 KB per session in the
 * soak. geckos closes its own channel only while open and never ours, so both are closed here.
 */
export function releaseOnClose(peer: GeckosConnection, reliable: () => DataChannelPipe | undefined, release: () => void): void {
  const closePeer = peer.close.bind(peer)
  peer.close = async (state) => {
    release()
    const unreliable = (peer.channel as GeckosServerChannel | undefined)?.dataChannel
    reliable()?.close()
    try {
      await closePeer(state)
    } finally {
      closeQuietly(unreliable)
    }
  }
}

function closeQuietly(dc: { close(): void } | null | undefined): void {
  try {
    dc?.close()
  } catch {
    // already gone
  }
}
