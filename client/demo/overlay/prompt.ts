import { button, el } from '../ui/dom'

/** An in-page accept/decline prompt (no blocking `confirm()`), e.g. "Save file X from Y?". */
export function askUser(text: string, accept = 'Accept', decline = 'Decline', timeoutMs = 60_000): Promise<boolean> {
  const box = document.getElementById('prompts') ?? document.body.appendChild(el('div', { id: 'prompts' }))
  return new Promise((resolve) => {
    const done = (answer: boolean) => {
      clearTimeout(timer)
      card.remove()
      resolve(answer)
    }
    const card = el('div', { class: 'prompt' }, [el('p', { text }), button(accept, () => done(true), 'accept'), button(decline, () => done(false), 'decline')])
    const timer = setTimeout(() => done(false), timeoutMs)
    box.append(card)
  })
}
