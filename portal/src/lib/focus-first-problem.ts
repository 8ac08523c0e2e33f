/**
 * Takes the keyboard to the first field with a problem, so a person who sends a form with
 * mistakes lands where to fix them. Fields have ids `${formId}-${field}`; a group of boxes has
 * ids starting `${formId}-${field}-`, and its first box takes the focus. Says whether there was a
 * problem.
 */
export function focusFirstProblem(formId: string, problems: object): boolean {
  const first = Object.keys(problems)[0]
  if (!first) return false
  const target =
    document.getElementById(`${formId}-${first}`) ??
    document.querySelector<HTMLElement>(`[id^="${formId}-${first}-"]`)
  target?.focus()
  return true
}
