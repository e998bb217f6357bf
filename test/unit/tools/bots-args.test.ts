import { describe, expect, it } from 'vitest'
import { parseArgs } from '../../../tools/bots/args'

describe('npm run bots arguments', () => {
  it('takes one origin or a cluster of them', () => {
    expect(parseArgs(['--url', 'http://127.0.0.1:8080']).urls).toEqual(['http://127.0.0.1:8080'])
    const o = parseArgs(['--url', 'http://127.0.0.1:8080, http://127.0.0.1:8081', '--n', '16'])
    expect(o.urls).toEqual(['http://127.0.0.1:8080', 'http://127.0.0.1:8081'])
    expect(o.ownAddresses).toBe(true)
  })

  it('refuses a list with anything but origins in it', () => {
    expect(() => parseArgs(['--url', 'http://127.0.0.1:8080,ftp://x'])).toThrow(/--url/)
    expect(() => parseArgs(['--url', ','])).toThrow(/--url/)
  })

  it('signals from one address when any target is not on loopback', () => {
    expect(parseArgs(['--url', 'http://127.0.0.1:8080,https://play.example.com']).ownAddresses).toBe(false)
  })
})
