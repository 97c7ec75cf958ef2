// The override lines under the gates: who waived a gate and how, or who can waive a tripped one.
// Logins are escaped like all text, so updating the comment never notifies the people it names.
import type { GateTrip, WaiveRoute, Waiver } from '../result.js'
import { codeSpan, escapeText, shortSha } from './markdown.js'
import { clip } from './layout.js'

/** `waived: @alice approved 7a6c1f0`, or `waived: @bob added the label <code>x</code>`. */
export function waiverText(waiver: Waiver): string {
  const who = escapeText(`waived: @${waiver.by}`)
  return waiver.how === 'approval'
    ? `${who} ${escapeText('approved')} ${codeSpan(shortSha(waiver.commit))}`
    : `${who} ${escapeText('added the label')} ${codeSpan(clip(waiver.label))}`
}

/**
 * `To waive: a member of @octo-org/platform can approve, or add the label <code>x</code>.`; for a
 * failed mandatory policy or run task, that HCP Terraform's override decides; else undefined.
 */
export function howToWaive(gate: GateTrip, route: WaiveRoute | undefined): string | undefined {
  if (!route) return undefined
  if (gate.condition === 'policy' || gate.condition === 'run-task') {
    return escapeText('Not waived by a review or label: an override in HCP Terraform decides.')
  }
  if (!route.conditions.includes(gate.condition)) return undefined
  const who = route.approvers.map(name => (name.includes('/') ? `a member of ${name}` : name))
  const named = joinOr(who)
  const label = route.label !== undefined ? codeSpan(clip(route.label)) : undefined
  let text: string
  if (named && label) {
    text = `${escapeText(`To waive: ${named} can approve, or add the label`)} ${label}`
  } else if (named) {
    text = escapeText(`To waive: ${named} can approve the head commit`)
  } else if (label) {
    text = `${escapeText('To waive: someone with write access can add the label')} ${label}`
  } else return undefined
  return `${text}${escapeText(" (not the pull request's author).")}`
}

function joinOr(words: string[]): string {
  return words.length < 2
    ? words.join('')
    : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`
}
