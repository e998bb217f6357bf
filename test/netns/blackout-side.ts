/**
 * What both real-blackout children do alike: the figures they start from, notes received (their text
 * checked), the session's cut and resume recorded, and notes sent on the parent's command.
 */
import type { SessionBook } from '../../shared/transport/session-book'
import { noteText, type SideState } from './blackout-game'

type Book = Pick<SessionBook, 'sent' | 'acked' | 'unackedMessages'>

export function newSideState(): SideState {
  return {
    type: 'state',
    notes: [],
    badText: 0,
    suspendedAt: undefined,
    resumedAt: undefined,
    unackedAtSuspend: undefined,
    preCutUnacked: undefined,
    replayed: undefined,
    closed: '',
  }
}

export class BlackoutSide {
  /** The session sequence number of note 0 (sent just before the cut). */
  private preCutSeq: number | undefined

  constructor(private readonly state: SideState) {}

  /** The session detected the cut. */
  suspended(book: Book): void {
    this.state.suspendedAt = Date.now()
    this.state.unackedAtSuspend = book.unackedMessages
    this.state.preCutUnacked = this.preCutSeq !== undefined && book.acked < this.preCutSeq
  }

  resumed(replayed: number): void {
    this.state.resumedAt = Date.now()
    this.state.replayed = replayed
  }

  received(m: { seq: number; text: string }): void {
    this.state.notes.push(m.seq)
    if (m.text !== noteText(m.seq)) this.state.badText++
  }

  /** `{ action: 'send', from, to }`: sends notes from..to-1; note 0 is the one just before the cut. */
  send(cmd: Record<string, unknown>, sendNote: (seq: number, text: string) => void, book: () => Book | undefined): { type: 'sent' } {
    for (let seq = Number(cmd.from); seq < Number(cmd.to); seq++) sendNote(seq, noteText(seq))
    if (Number(cmd.from) === 0) this.preCutSeq = book()?.sent
    return { type: 'sent' }
  }
}
