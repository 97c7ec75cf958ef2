// "Since the last push", at the top of a workspace: what is new in the plan, what is gone and what
// is planned differently since the plan the comment showed for an earlier commit. Pure.
import type { SinceLastPush } from '../result.js'
import type { PlannedEntry, ReplannedEntry } from '../plan/compare.js'
import { isSamePlan } from '../plan/compare.js'
import { bullet, codeSpan, escapeText, shortSha, strong } from './markdown.js'
import { clip } from './layout.js'
import type { Detail } from './layout.js'

/** Entries listed per kind before "and N more". */
const LISTED: Readonly<Record<Detail, number>> = { full: 25, compact: 5 }
/** Attribute names listed per entry before "and N more". */
const LISTED_ATTRIBUTES = 10

const TITLE = strong(escapeText('Since the last push:'))

export function sinceLastPushBlock(since: SinceLastPush, detail: Detail): string {
  const previous = previousPlanName(since)
  const { comparison } = since
  if (comparison === undefined) {
    const why = clip(since.unavailable ?? 'it could not be read', 500)
    const run = since.previousCommit !== undefined ? ` (${previousRunName(since)})` : ''
    return `${TITLE} ${escapeText('the plan shown for')} ${previous}${run} ${escapeText(`could not be read: ${why}`)}`
  }
  if (isSamePlan(comparison)) return `${TITLE} ${escapeText('same plan as')} ${previous}.`
  const { added, removed, replanned } = comparison
  const counts = [
    ...(added.length > 0 ? [`${added.length} new`] : []),
    ...(removed.length > 0 ? [`${removed.length} no longer planned`] : []),
    ...(replanned.length > 0 ? [`${replanned.length} planned differently`] : [])
  ]
  const lines = [
    `${TITLE} ${escapeText(`${counts.join(', ')}, compared with`)} ${previous}.`,
    ...listed(added, detail, entry => `➕ ${escapeText('new:')} ${plannedText(entry)}`),
    ...listed(
      removed,
      detail,
      entry => `➖ ${escapeText('no longer planned:')} ${plannedText(entry, 'was ')}`
    ),
    ...listed(
      replanned,
      detail,
      entry => `🔀 ${escapeText('planned differently:')} ${replannedText(entry)}`
    )
  ]
  return lines.join('\n')
}

/** The earlier commit, or its run when the comment did not record the commit. */
function previousPlanName(since: SinceLastPush): string {
  if (since.previousCommit === undefined) return previousRunName(since)
  return codeSpan(shortSha(since.previousCommit))
}

function previousRunName(since: SinceLastPush): string {
  return `${escapeText('run')} ${codeSpan(clip(since.previousRunId ?? since.previousPlanId))}`
}

function listed<T>(entries: readonly T[], detail: Detail, line: (entry: T) => string): string[] {
  const shown = entries.slice(0, LISTED[detail])
  const more = entries.length - shown.length
  return [
    ...shown.map(entry => bullet(line(entry))),
    ...(more > 0 ? [bullet(escapeText(`and ${more} more`))] : [])
  ]
}

function plannedText(entry: PlannedEntry, was = ''): string {
  return `${codeSpan(clip(entry.address))} ${escapeText(`(${was}${entry.action})`)}`
}

function replannedText(entry: ReplannedEntry): string {
  const action =
    entry.previousAction === entry.action
      ? entry.action
      : `${entry.action}, was ${entry.previousAction}`
  const names = entry.attributes.slice(0, LISTED_ATTRIBUTES).map(name => codeSpan(clip(name)))
  const more = entry.attributes.length - names.length
  if (more > 0) names.push(escapeText(`and ${more} more`))
  const attributes = names.length > 0 ? `: ${names.join(', ')}` : ''
  return `${codeSpan(clip(entry.address))} ${escapeText(`(${action})`)}${attributes}`
}
