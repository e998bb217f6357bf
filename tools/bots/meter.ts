/**
 * What the bots of one process measure, pooled: histograms and counters that the process reports
 * (and resets) once a second. Per-bot gauges (jitter, loss, bytes/s) are read from each bot's link.
 */
import { Histogram } from './histogram'

export class BotsMeter {
  /** Round trips of the link's pings on the unreliable channel. */
  readonly rttMs = new Histogram()
  /** Update age of each decoded snapshot (see docs/bots.md). */
  readonly updateAgeMs = new Histogram()
  /** Connect time: GameClient.connect() (signalling, ICE, DTLS, both channels, schema accepted). */
  readonly connectMs = new Histogram()
  /** From start to the first snapshot holding the bot's own entity (connect + lobby + room + join). */
  readonly readyMs = new Histogram()
  /** Snapshots received by playing bots, and the time those bots played (bot-seconds): their ratio is the rate. */
  snapshots = 0
  botSeconds = 0
  chatSent = 0
  chatAcked = 0
  /** Own room lines that came back from the server (the room's fan-out includes the sender). */
  chatEchoed = 0
  chatReceived = 0
  filesSent = 0
  filesReceived = 0
  errors: Record<string, number> = {}

  error(reason: string): void {
    this.errors[reason] = (this.errors[reason] ?? 0) + 1
  }

  /** One interval's counts and histograms; everything starts again from zero. */
  take(): MeterSample {
    const s: MeterSample = {
      rttMs: this.rttMs.take(),
      updateAgeMs: this.updateAgeMs.take(),
      connectMs: this.connectMs.take(),
      readyMs: this.readyMs.take(),
      snapshots: this.snapshots,
      botSeconds: this.botSeconds,
      chatSent: this.chatSent,
      chatAcked: this.chatAcked,
      chatEchoed: this.chatEchoed,
      chatReceived: this.chatReceived,
      filesSent: this.filesSent,
      filesReceived: this.filesReceived,
      errors: this.errors,
    }
    this.snapshots = this.botSeconds = this.chatSent = this.chatAcked = this.chatEchoed = this.chatReceived = this.filesSent = this.filesReceived = 0
    this.errors = {}
    return s
  }
}

export type HistogramData = ReturnType<Histogram['take']>
export interface MeterSample {
  rttMs: HistogramData
  updateAgeMs: HistogramData
  connectMs: HistogramData
  readyMs: HistogramData
  snapshots: number
  botSeconds: number
  chatSent: number
  chatAcked: number
  chatEchoed: number
  chatReceived: number
  filesSent: number
  filesReceived: number
  errors: Record<string, number>
}
