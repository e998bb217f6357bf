import { describe, expect, it } from 'vitest'
import { inTurn, resumeTargets, usableNodeUrls } from '../../../client/lobby/cluster-nodes'

describe('where a player resumes on a cluster', () => {
  it('keeps only absolute http(s) URLs from the server, once each', () => {
    expect(usableNodeUrls(['https://a.example', 'javascript:alert(1)', 'not a url', 'http://b.example:8081', 'https://a.example', 'ws://c'])).toEqual([
      'https://a.example',
      'http://b.example:8081',
    ])
    expect(usableNodeUrls(Array.from({ length: 100 }, (_, i) => `http://n${i}.example`))).toHaveLength(64)
  })

  it('tries our own node first (reconnect), then the others (connectTo), in turn', async () => {
    const reconnect = async () => 'own'
    const connectTo = async (url: string) => `to ${url}`
    const next = inTurn(resumeTargets(['http://n1', 'http://n2', 'http://n3'], { reconnect, connectTo }))
    const order = []
    for (let i = 0; i < 4; i++) order.push(await next())
    expect(order).toEqual(['own', 'to http://n2', 'to http://n3', 'own'])
  })

  it('without reconnect, our own node through connectTo; without connectTo, only reconnect; neither: no way back', async () => {
    const connectTo = async (url: string) => url
    expect(await Promise.all(resumeTargets(['http://n1', 'http://n2'], { connectTo }).map((t) => t()))).toEqual(['http://n1', 'http://n2'])
    expect(resumeTargets(['http://n1', 'http://n2'], { reconnect: async () => 'own' })).toHaveLength(1)
    expect(resumeTargets([], { connectTo })).toHaveLength(0)
  })
})
