// The merge gates on the run's apply (`wait-for: apply`): an errored apply, and a run that ended
// or was left without applying. Pure functions of the ApplyReport.
import type { GateTrip } from '../result.js'
import type { ApplyReport } from '../run/apply.js'
import { APPLY_OUTCOME_WORDS, isUnapplied } from '../run/apply.js'

export type ApplyCondition = 'unapplied'

const LISTED = 5

/** `errored`: the apply errored; names the resources that failed. */
export function applyErroredTrip(report: ApplyReport): GateTrip | undefined {
  if (report.outcome !== 'errored') return undefined
  const failed = report.resources
    .filter(resource => resource.outcome === 'errored')
    .map(resource => resource.address)
  const located = report.diagnostics
    .filter(diagnostic => diagnostic.severity === 'error')
    .map(diagnostic => diagnostic.summary)
  const named = failed.length > 0 ? `: ${listed(failed)}` : ''
  const why = located.length > 0 ? ` (${listed(located)})` : ''
  return {
    condition: 'errored',
    message: `The apply errored${named}${why}`,
    addresses: failed
  }
}

/** `unapplied`: discarded, canceled, or still awaiting confirmation or an override. */
export function unappliedTrip(report: ApplyReport): GateTrip | undefined {
  if (!isUnapplied(report.outcome)) return undefined
  const words = APPLY_OUTCOME_WORDS[report.outcome]
  return {
    condition: 'unapplied',
    message: `Nothing was applied: ${words} (run status ${report.runStatus})`,
    addresses: []
  }
}

function listed(names: string[]): string {
  const more = names.length > LISTED ? ` and ${names.length - LISTED} more` : ''
  return `${names.slice(0, LISTED).join(', ')}${more}`
}
