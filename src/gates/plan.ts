// The merge gates on the plan itself (fail-on's plan conditions and protect), as pure functions of
// the plan model.
import type { PlanModel, ResourceAction, ResourceChangeModel } from '../plan/model.js'
import type { FailCondition, GateTrip } from '../result.js'
import type { RunCondition } from './run.js'
import type { ApplyCondition } from './apply.js'

/** Plan statuses that mean no usable plan came out, and how a message says so. */
const FAILED_STATUSES: Readonly<Record<string, string>> = {
  errored: 'The plan errored',
  canceled: 'The plan was canceled',
  unreachable: 'The plan is unreachable'
}

/** How many addresses a message names before it says "and N more". */
const ADDRESSES_IN_MESSAGE = 5

/** What a protected resource must not undergo, in the words a message uses. */
const AT_RISK: Partial<Record<ResourceAction, string>> = {
  delete: 'destroyed',
  replace: 'replaced',
  forget: 'forgotten',
  'create-forget': 'replaced and forgotten'
}

type Gate = (model: PlanModel, status: string) => GateTrip | undefined
export type PlanCondition = Exclude<FailCondition, 'none' | RunCondition | ApplyCondition>

export const PLAN_CONDITIONS: Record<PlanCondition, Gate> = {
  errored: (model, status) => {
    if (Object.hasOwn(FAILED_STATUSES, status)) {
      return { condition: 'errored', message: FAILED_STATUSES[status], addresses: [] }
    }
    if (model.errored) {
      return {
        condition: 'errored',
        message: 'Terraform reported an error while planning',
        addresses: []
      }
    }
    return undefined
  },

  changes: model => {
    if (!model.hasChanges) return undefined
    const { import: imports, add, change, destroy, move, forget } = model.counts
    const parts = (
      [
        [imports, 'to import'],
        [add, 'to add'],
        [change, 'to change'],
        [destroy, 'to destroy'],
        [move, 'to move'],
        [forget, 'to forget']
      ] as const
    ).flatMap(([count, what]) => (count > 0 ? [`${count} ${what}`] : []))
    if (model.outputs.length > 0) parts.push(plural(model.outputs.length, 'output change'))
    // An api-counts model can report changes without any count, e.g. for output-only plans.
    return {
      condition: 'changes',
      message:
        parts.length > 0 ? `The plan has changes: ${parts.join(', ')}` : 'The plan has changes',
      addresses: unique(model.resources.filter(r => r.action !== 'read').map(r => r.address))
    }
  },

  destroy: model => {
    if (model.source === 'api-counts') return countsOnlyTrip(model, 'destroy')
    return listTrip('destroy', withActions(model, ['delete', 'replace']), 'would be destroyed')
  },

  replace: model => {
    if (model.source === 'api-counts') {
      // The API counts a replace as one add and one destroy, so any destroy may be one.
      return countsOnlyTrip(
        model,
        'replace',
        ', and replacements cannot be told apart without the JSON plan'
      )
    }
    return listTrip(
      'replace',
      withActions(model, ['replace', 'create-forget']),
      'would be replaced'
    )
  },

  drift: model => listTrip('drift', model.drift, 'changed outside of Terraform')
}

/** Trips when a resource matching a protect pattern would be destroyed, replaced or forgotten. */
export function protectedAtRisk(model: PlanModel, patterns: string[]): GateTrip | undefined {
  if (patterns.length === 0) return undefined
  if (model.source === 'api-counts') {
    // Without per-resource detail nothing can be cleared: any destroy may hit a protected resource.
    return countsOnlyTrip(
      model,
      'protect',
      ', and protected resources cannot be checked without the JSON plan'
    )
  }
  const hits = model.resources.filter(
    resource => AT_RISK[resource.action] !== undefined && matchesAny(patterns, resource)
  )
  if (hits.length === 0) return undefined
  const described = hits.map(hit => `${displayAddress(hit)} would be ${AT_RISK[hit.action]}`)
  return {
    condition: 'protect',
    message: `${hits.length === 1 ? 'A protected resource' : `${hits.length} protected resources`} at risk: ${abbreviate(described)}`,
    addresses: unique(hits.map(hit => hit.address))
  }
}

function matchesAny(patterns: string[], resource: ResourceChangeModel): boolean {
  return patterns.some(
    pattern =>
      matchesAddressPattern(pattern, resource.address) ||
      (resource.previousAddress !== undefined &&
        matchesAddressPattern(pattern, resource.previousAddress))
  )
}

/**
 * Whether a whole resource address matches a pattern in which `*` stands for any run of
 * characters (dots, brackets and quotes included) and everything else is literal.
 * No regular expression is built; literal pieces are found left to right, so the time is
 * bounded by pattern × address length whatever the pattern holds.
 */
export function matchesAddressPattern(pattern: string, address: string): boolean {
  const pieces = pattern.split('*')
  if (pieces.length === 1) return pattern === address
  const first = pieces[0]
  const last = pieces[pieces.length - 1]
  if (address.length < first.length + last.length) return false
  if (!address.startsWith(first) || !address.endsWith(last)) return false
  // Each middle piece is taken at its leftmost place: that leaves the most room for the rest.
  let position = first.length
  const end = address.length - last.length
  for (const piece of pieces.slice(1, -1)) {
    const found = address.indexOf(piece, position)
    if (found < 0 || found + piece.length > end) return false
    position = found + piece.length
  }
  return true
}

function withActions(model: PlanModel, actions: ResourceAction[]): ResourceChangeModel[] {
  return model.resources.filter(resource => actions.includes(resource.action))
}

function listTrip(
  condition: GateTrip['condition'],
  hits: ResourceChangeModel[],
  what: string
): GateTrip | undefined {
  if (hits.length === 0) return undefined
  return {
    condition,
    message: `${resources(hits.length)} ${what}: ${abbreviate(hits.map(displayAddress))}`,
    addresses: unique(hits.map(hit => hit.address))
  }
}

/** With counts only, the number of destroys is all there is to go on. */
function countsOnlyTrip(
  model: PlanModel,
  condition: GateTrip['condition'],
  caveat = ''
): GateTrip | undefined {
  const destroys = model.counts.destroy
  if (destroys === 0) return undefined
  return { condition, message: `${resources(destroys)} would be destroyed${caveat}`, addresses: [] }
}

function displayAddress(resource: ResourceChangeModel): string {
  return resource.deposed
    ? `${resource.address} (deposed object ${resource.deposed})`
    : resource.address
}

function abbreviate(items: string[]): string {
  const shown = items.slice(0, ADDRESSES_IN_MESSAGE).join(', ')
  const more = items.length - ADDRESSES_IN_MESSAGE
  return more > 0 ? `${shown} and ${more} more` : shown
}

function resources(count: number): string {
  return plural(count, 'resource')
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

function unique(items: string[]): string[] {
  return [...new Set(items)]
}
