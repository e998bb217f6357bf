import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'
import { runOrSkip, type Availability } from './skip-policy'

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
 * with CI=true it is an error, so CI never goes green without running them (see skip-policy.ts).
 */
export function browserAvailability(env: NodeJS.ProcessEnv = process.env): Availability {
  const check: Availability = existsSync(CHROMIUM_PATH) ? { ok: true } : { ok: false, why: `Chromium not found at ${CHROMIUM_PATH} (apt-get install -y chromium)` }
  return runOrSkip('e2e', check, env)
}

/** `extraArgs` go after the usual flags. */
export function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...ARGS, ...extraArgs] })
}
