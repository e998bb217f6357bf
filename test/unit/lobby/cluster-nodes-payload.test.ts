import { describe, expect, it } from 'vitest'
import { lobbyMessages } from '../../../shared/lobby/index'
import { defineSchema, encodeMessage } from '../../../shared/schema/index'
import { clusterNodesPayload } from '../../../server/lobby/backplane'

describe('clusterNodes as the server sends it', () => {
  const spec = defineSchema({ ...lobbyMessages }).byName.get('clusterNodes')!

  it('leaves out a node URL too long for the wire instead of failing the send', () => {
    const long = `https://${'x'.repeat(300)}.example`
    expect(() => encodeMessage(spec, { urls: [long] })).toThrow()
    const payload = clusterNodesPayload(['https://a.example', long, 'https://b.example'])
    expect(payload.urls).toEqual(['https://a.example', 'https://b.example'])
    expect(() => encodeMessage(spec, payload)).not.toThrow()
  })

  it('sends at most the wire limit of nodes', () => {
    const payload = clusterNodesPayload(Array.from({ length: 100 }, (_, i) => `http://n${i}.example`))
    expect(payload.urls).toHaveLength(64)
    expect(() => encodeMessage(spec, payload)).not.toThrow()
  })
})
