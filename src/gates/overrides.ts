// Overrides: which tripped gates an approving review or a label waives, from what GitHub recorded
// (reviews, label events) and who may waive (listed approvers, writers). Pure: the readers in
// src/github/ fetch the evidence and the answers about people.
import type { GateTrip, WaiveRoute, WaivedGate, Waiver, WorkspaceResult } from '../result.js'

/** The conditions a review or label may waive; errored, policy and run-task never are. */
export const WAIVABLE_CONDITIONS = [
  'changes',
  'destroy',
  'replace',
  'drift',
  'protect',
  'cost',
  'advisory'
] as const
export type WaivableCondition = (typeof WAIVABLE_CONDITIONS)[number]

export type Approver = { kind: 'user'; login: string } | { kind: 'team'; org: string; slug: string }

export interface OverrideSettings {
  approvers: Approver[]
  /** A label whose presence waives, when added by someone allowed. */
  label?: string
  waivable: WaivableCondition[]
}

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/
const TEAM = /^@?([A-Za-z0-9][A-Za-z0-9-]*)\/([A-Za-z0-9][A-Za-z0-9_.-]*)$/

/** `alice` or `@alice` is a user, `@octo-org/platform` (or `octo-org/platform`) a team. */
export function parseApprover(text: string): Approver | undefined {
  const team = TEAM.exec(text)
  if (team) return { kind: 'team', org: team[1], slug: team[2].toLowerCase() }
  const login = text.replace(/^@/, '')
  return LOGIN.test(login) ? { kind: 'user', login } : undefined
}

/** `@alice`, `@octo-org/platform`. */
export function approverName(approver: Approver): string {
  return approver.kind === 'user' ? `@${approver.login}` : `@${approver.org}/${approver.slug}`
}

/** A submitted review, in the order GitHub lists them (oldest first). */
export interface Review {
  login: string
  /** APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING. */
  state: string
  /** The commit reviewed; null when GitHub no longer knows it. */
  commitId: string | null
}

/** A `labeled` or `unlabeled` event of the pull request, oldest first. */
export interface LabelEvent {
  event: 'labeled' | 'unlabeled'
  label: string
  actor: string
}

/** What GitHub recorded on the pull request. */
export interface PullRequestEvidence {
  headSha: string
  author: string
  reviews: Review[]
  /** The labels the pull request has now. */
  labels: string[]
  labelEvents: LabelEvent[]
}

/** Reviews that decide: a comment-only review changes nothing, as on GitHub. */
const DECIDING_STATES = new Set(['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED'])

function sameLogin(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase()
}

/**
 * Who approved the head commit: each reviewer's latest deciding review is an approval of
 * `headSha`. The pull request's author never counts.
 */
export function headApprovers(evidence: PullRequestEvidence): string[] {
  const latest = new Map<string, Review>()
  for (const review of evidence.reviews) {
    if (DECIDING_STATES.has(review.state)) latest.set(review.login.toLowerCase(), review)
  }
  return [...latest.values()]
    .filter(
      review =>
        review.state === 'APPROVED' &&
        review.commitId?.toLowerCase() === evidence.headSha.toLowerCase() &&
        !sameLogin(review.login, evidence.author)
    )
    .map(review => review.login)
}

/**
 * Who added `label`, when the pull request has it: the actor of its latest `labeled` event.
 * Undefined when the label is absent or was added by the pull request's author.
 */
export function labelAdder(evidence: PullRequestEvidence, label: string): string | undefined {
  if (!evidence.labels.some(name => sameLogin(name, label))) return undefined
  const added = evidence.labelEvents.filter(
    event => event.event === 'labeled' && sameLogin(event.label, label)
  )
  const actor = added.at(-1)?.actor
  return actor !== undefined && !sameLogin(actor, evidence.author) ? actor : undefined
}

/** The logins whose standing must be asked: head approvers and the label's adder. */
export function overrideCandidates(
  evidence: PullRequestEvidence,
  settings: OverrideSettings
): { approvers: string[]; labelAdder?: string } {
  return {
    approvers: settings.approvers.length > 0 ? headApprovers(evidence) : [],
    labelAdder: settings.label !== undefined ? labelAdder(evidence, settings.label) : undefined
  }
}

/** Whether a login is a listed user (no request needed); teams are asked by the reader. */
export function isListedUser(settings: OverrideSettings, login: string): boolean {
  return settings.approvers.some(
    approver => approver.kind === 'user' && sameLogin(approver.login, login)
  )
}

/**
 * The waiver, if any: an approval of the head by an allowed approver first, else the label added
 * by someone allowed. `allowed` answers for the candidates of overrideCandidates: listed
 * approvers when approvers are listed, else writers (only the label's adder is a candidate then).
 */
export function chooseWaiver(
  evidence: PullRequestEvidence,
  settings: OverrideSettings,
  allowed: (login: string) => boolean
): Waiver | undefined {
  const candidates = overrideCandidates(evidence, settings)
  const approver = candidates.approvers.find(allowed)
  if (approver !== undefined) {
    return { by: approver, how: 'approval', commit: evidence.headSha.toLowerCase() }
  }
  const adder = candidates.labelAdder
  if (adder !== undefined && settings.label !== undefined && allowed(adder)) {
    return { by: adder, how: 'label', label: settings.label }
  }
  return undefined
}

/** How this step's gates may be waived, as the comment explains it. */
export function waiveRouteOf(settings: OverrideSettings): WaiveRoute {
  return {
    conditions: [...settings.waivable],
    approvers: settings.approvers.map(approverName),
    ...(settings.label !== undefined && { label: settings.label })
  }
}

/**
 * The result with the waivable tripped gates moved to `waived` (when there is a waiver) and the
 * route to waive the rest.
 */
export function applyOverrides(
  result: WorkspaceResult,
  settings: OverrideSettings,
  waiver: Waiver | undefined
): WorkspaceResult {
  const waivable = (gate: GateTrip): boolean =>
    (settings.waivable as readonly string[]).includes(gate.condition)
  const waived: WaivedGate[] = waiver
    ? result.gates.filter(waivable).map(gate => ({ ...gate, waiver }))
    : []
  return {
    ...result,
    gates: waiver ? result.gates.filter(gate => !waivable(gate)) : result.gates,
    waived,
    waiveRoute: waiveRouteOf(settings)
  }
}
