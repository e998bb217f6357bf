/**
 * A real redis-server for tests, on a free loopback port, started and stopped by the test. Outside CI
 * a missing redis-server skips with the reason; with CI=true it is an error (CI must run these).
 */
import { redisServerMissing, startLocalRedis, type LocalRedis } from '../../server/cluster/local-redis'

export type RedisCheck = { ok: true } | { ok: false; why: string }

export function canRunRedis(): RedisCheck {
  const why = redisServerMissing()
  if (!why) return { ok: true }
  if (process.env.CI === 'true') throw new Error(`${why}; CI=true requires the cluster tests to run`)
  console.warn(`skipping cluster tests: ${why}`)
  return { ok: false, why }
}

export { startLocalRedis, type LocalRedis }
