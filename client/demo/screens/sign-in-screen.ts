import type { JoinAs } from 'netplay-toolkit/client'
import { el } from '../ui/dom'

/** Name or email, and "remember me". Resolves when the form is submitted. */
export function signInScreen(root: HTMLElement, remembered: string | undefined, onSubmit: (as: JoinAs, remember: boolean) => Promise<void>): void {
  const input = el('input', { id: 'signin-name', placeholder: 'name or email', value: remembered ?? '' })
  input.maxLength = 254
  const remember = el('input', { type: 'checkbox', id: 'signin-remember' })
  remember.checked = remembered !== undefined
  const error = el('p', { class: 'error', id: 'signin-error' })
  const form = el('form', { class: 'card signin', id: 'signin' }, [
    el('h2', { text: 'Sign in' }),
    input,
    el('label', {}, [remember, ' remember me']),
    el('button', { text: 'Enter the lobby', type: 'submit' }),
    error,
  ])
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    const value = input.value.trim()
    const as: JoinAs = value.includes('@') ? { email: value } : { name: value }
    error.textContent = ''
    onSubmit(as, remember.checked).catch((err: unknown) => (error.textContent = err instanceof Error ? err.message : String(err)))
  })
  root.replaceChildren(form)
  input.focus()
}
