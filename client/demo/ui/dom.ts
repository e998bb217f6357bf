/**
 * Tiny DOM helpers. Text only ever goes in through `textContent`: chat lines, names and file names
 * from other players can never become markup (and the CSP forbids inline scripts besides).
 */
type Attrs = { class?: string; text?: string; type?: string; placeholder?: string; value?: string; title?: string; id?: string; [data: `data-${string}`]: string }

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, children: (Node | string)[] = []): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined) continue
    if (key === 'text') node.textContent = value
    else if (key === 'class') node.className = value
    else node.setAttribute(key, value)
  }
  for (const c of children) node.append(c)
  return node
}

export function button(text: string, onClick: () => void, cls = ''): HTMLButtonElement {
  const b = el('button', { text, class: cls, type: 'button' })
  b.addEventListener('click', onClick)
  return b
}

/** Replaces a container's children. */
export function fill(parent: HTMLElement, children: Node[]): void {
  parent.replaceChildren(...children)
}

/** A transient message at the top of the page (errors: unreachable, room full, kicked...). */
export function toast(text: string, kind: 'error' | 'info' = 'info'): void {
  const box = document.getElementById('toasts') ?? document.body.appendChild(el('div', { id: 'toasts' }))
  const t = el('div', { class: `toast ${kind}`, text })
  box.append(t)
  setTimeout(() => t.remove(), kind === 'error' ? 8000 : 4000)
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n.toFixed(0)} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`
  return `${(n / 1024 / 1024).toFixed(1)} MiB`
}
