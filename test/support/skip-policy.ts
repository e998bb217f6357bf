/**
 * One rule for tests that need something from the machine (a browser, root, iptables): outside CI a
 * missing piece skips them with the reason printed; with CI=true it is an error, so CI never goes
 * green without running them. `.ci/run` installs what they need.
 */
export type Availability = { ok: true } | { ok: false; why: string }

export function runOrSkip(what: string, check: Availability, env: NodeJS.ProcessEnv = process.env): Availability {
  if (check.ok) return check
  if (env.CI === 'true') throw new Error(`${what}: ${check.why}; CI=true requires these tests to run`)
  console.warn(`[${what} skipped] ${check.why}`)
  return check
}
