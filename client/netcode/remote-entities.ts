import { InterpolationBuffer, type InterpolationBufferOptions, type SampleMode } from '../../shared/netcode/interpolation-buffer'
import type { NumericState } from '../../shared/netcode/lerp'

interface Track<S extends NumericState> {
  buffer: InterpolationBuffer<S>
  /** Server time of its first snapshot: not drawn before the render time gets there. */
  since: number
  /** Server time of the first snapshot without it: drawn until the render time gets there. */
  removedAt: number | undefined
}

export interface RemoteEntityStats {
  tracked: number
  /** Samples per mode since the start: `hold` counts frames where an entity froze. */
  modes: Record<SampleMode, number>
}

/**
 * Every remote entity's interpolation buffer, with appearance and disappearance placed on the
 * server timeline too, so an entity that spawns or leaves does so when the render time reaches that
 * moment, not when the packet happens to arrive. Pure: times are passed in.
 */
export class RemoteEntities<S extends NumericState> {
  private readonly tracks = new Map<number, Track<S>>()
  private readonly modes: Record<SampleMode, number> = { interpolate: 0, extrapolate: 0, hold: 0 }

  constructor(private readonly options: InterpolationBufferOptions = {}) {}

  /** `state` of entity `id` at server time `time`. */
  push(id: number, time: number, state: S): void {
    let track = this.tracks.get(id)
    // Back after leaving (interest, respawn): a new track, rather than a glide across the absence.
    if (!track || (track.removedAt !== undefined && time >= track.removedAt))
      this.tracks.set(id, (track = { buffer: new InterpolationBuffer<S>(this.options), since: time, removedAt: undefined }))
    if (time < track.since) track.since = time
    track.buffer.push(time, state)
  }

  /** The newest snapshot (server time `time`) holds exactly `present`: the others leave at `time`. */
  retainOnly(present: (id: number) => boolean, time: number): void {
    for (const id of this.tracks.keys()) if (!present(id)) this.remove(id, time)
  }

  /** Entity `id` is gone from server time `time` on. */
  remove(id: number, time: number): void {
    const track = this.tracks.get(id)
    if (track && (track.removedAt === undefined || time < track.removedAt)) track.removedAt = time
  }

  /** Everything to draw at render time `renderTime`. */
  sample(renderTime: number): Map<number, S> {
    const out = new Map<number, S>()
    if (Number.isNaN(renderTime)) return out
    for (const [id, track] of this.tracks) {
      if (track.removedAt !== undefined && renderTime >= track.removedAt) {
        this.tracks.delete(id)
        continue
      }
      if (renderTime < track.since) continue
      const s = track.buffer.sample(renderTime)
      if (!s) continue
      this.modes[s.mode]++
      out.set(id, s.state)
    }
    return out
  }

  stats(): RemoteEntityStats {
    return { tracked: this.tracks.size, modes: { ...this.modes } }
  }
}
