import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Flags that work here as root, with fake camera and microphone (see the transport facts note). */
const ARGS = [
  '--no-sandbox',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/**
 * Whether browser tests can run. Outside CI a missing Chromium skips them with a clear reason;
 * with CI=true it is an error, so CI never goes green without running them.
 */
export function browserAvailability(): { ok: true } | { ok: false; why: string } {
  if (existsSync(CHROMIUM_PATH)) return { ok: true }
  const why = `Chromium not found at ${CHROMIUM_PATH} (apt-get install -y chromium)`
  if (process.env.CI === 'true') throw new Error(`${why}; CI=true requires browser tests to run`)
  console.warn(`[e2e skipped] ${why}`)
  return { ok: false, why }
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS })
}
