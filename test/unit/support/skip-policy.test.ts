/** Defect: the namespace tests skipped without root or iptables even with CI=true. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { browserAvailability } from '../../support/browser'
import { netnsForTests } from '../../support/netns'
import { runOrSkip } from '../../support/skip-policy'

describe('tests that need the machine: skip outside CI, fail in CI', () => {
  afterEach(() => vi.restoreAllMocks())
  const missing = { ok: false, why: 'network namespaces and iptables need root' } as const

  it('the namespace tests fail with CI=true when root or iptables is missing', () => {
    expect(() => netnsForTests({ CI: 'true' }, missing)).toThrow(/need root; CI=true requires/)
  })

  it('outside CI they skip with the reason printed', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect(netnsForTests({}, missing)).toEqual(missing)
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('need root'))
  })

  it('a machine that has everything runs them either way', () => {
    expect(netnsForTests({ CI: 'true' }, { ok: true })).toEqual({ ok: true })
    expect(runOrSkip('e2e', { ok: true }, { CI: 'true' })).toEqual({ ok: true })
  })

  it('the browser tests follow the same rule', () => {
    expect(() => runOrSkip('e2e', { ok: false, why: 'Chromium not found' }, { CI: 'true' })).toThrow(/CI=true/)
    // This machine has Chromium (the project's kind does): available, CI or not.
    expect(browserAvailability({ CI: 'true' })).toEqual({ ok: true })
  })
})
