/** Where `join(..., { remember: true })` keeps the name: `localStorage` in a browser, nothing in Node. */
export interface NameStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

export const NAME_KEY = 'netplay.lobby.name'
/** Where the resume token waits for a reload of the same tab (sessionStorage: per tab, gone when it closes). */
export const SESSION_KEY = 'netplay.lobby.session'

export function defaultSessionStorage(): NameStorage | undefined {
  try {
    return typeof sessionStorage === 'undefined' ? undefined : sessionStorage
  } catch {
    return undefined
  }
}

export function defaultStorage(): NameStorage | undefined {
  try {
    // Absent in Node and workers; reading it throws in some sandboxed iframes and with storage disabled.
    return typeof localStorage === 'undefined' ? undefined : localStorage
  } catch {
    return undefined
  }
}

/** The resume token a previous page of this tab kept, if any (anything unreadable counts as none). */
export function readSessionToken(session: NameStorage | undefined): { token: string } | undefined {
  try {
    const saved = JSON.parse(session?.getItem(SESSION_KEY) || 'null') as { token?: unknown } | null
    return typeof saved?.token === 'string' ? { token: saved.token } : undefined
  } catch {
    return undefined
  }
}
