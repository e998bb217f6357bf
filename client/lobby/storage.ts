/** Where `join(..., { remember: true })` keeps the name: `localStorage` in a browser, nothing in Node. */
export interface NameStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

export const NAME_KEY = 'netplay.lobby.name'

export function defaultStorage(): NameStorage | undefined {
  try {
    // Absent in Node and workers; reading it throws in some sandboxed iframes and with storage disabled.
    return typeof localStorage === 'undefined' ? undefined : localStorage
  } catch {
    return undefined
  }
}
