// Labels that say what the plan does (`terraform:destroy`, ...), kept on the pull request: missing
// ones are created with a colour and a description, ones of the set that no longer apply are
// removed, and no label outside the set is ever touched. Labels are a courtesy: a failure warns.
import type { WorkspaceResult } from '../result.js'
import { policyStatus } from '../run/checks.js'
import type { GitHub } from './github.js'
import { describeFailure, isRateLimit, statusOf } from './github-errors.js'
import { readPullRequest } from '../github/pull-request.js'
import type { PullRequestLocation } from '../github/pull-request.js'
import { shortSha } from '../render/markdown.js'

export const PLAN_LABELS = {
  'no-changes': { color: '0e8a16', description: 'Terraform: the plan changes nothing' },
  changes: { color: 'fbca04', description: 'Terraform: the plan changes infrastructure' },
  destroy: { color: 'b60205', description: 'Terraform: the plan destroys resources' },
  replace: { color: 'd93f0b', description: 'Terraform: the plan replaces resources' },
  drift: { color: 'c5def5', description: 'Terraform: resources drifted outside Terraform' },
  errored: { color: 'e11d21', description: 'Terraform: the plan or run errored' },
  'policy-failed': { color: '5319e7', description: 'Terraform: a policy failed' },
  overridden: { color: '1d76db', description: 'Terraform: a merge gate was waived' }
} as const
export type PlanLabel = keyof typeof PLAN_LABELS

const POLICY_FAILURES = new Set(['failed', 'soft-failed', 'errored'])

/** The labels of the set that apply: for several workspaces, the union. */
export function planLabels(results: WorkspaceResult[]): PlanLabel[] {
  const applies: Record<PlanLabel, boolean> = {
    'no-changes':
      results.length > 0 &&
      results.every(r => r.status === 'finished' && !r.model.errored && !r.model.hasChanges),
    changes: results.some(r => r.model.hasChanges),
    destroy: results.some(r => r.model.counts.destroy > 0),
    replace: results.some(r => r.model.counts.replace > 0),
    drift: results.some(r => r.model.drift.length > 0),
    errored: results.some(r => r.status === 'errored' || r.model.errored),
    'policy-failed': results.some(r => r.checks && POLICY_FAILURES.has(policyStatus(r.checks))),
    overridden: results.some(r => (r.waived ?? []).length > 0)
  }
  return (Object.keys(PLAN_LABELS) as PlanLabel[]).filter(label => applies[label])
}

export interface LabelRequest extends PullRequestLocation {
  prefix: string
  wanted: PlanLabel[]
  /** The commit the plans are for: labels are left alone once the head is elsewhere. */
  commitSha?: string
}

/** Returns the warnings to show; never throws. */
export async function syncLabels(github: GitHub, request: LabelRequest): Promise<string[]> {
  try {
    const pull = await readPullRequest(github, request)
    if (request.commitSha && request.commitSha.toLowerCase() !== pull.headSha) {
      return [
        `Labels were left as they are: the plan for ${shortSha(request.commitSha)} is outdated, ` +
          `the pull request's head is now ${shortSha(pull.headSha)}.`
      ]
    }
    const has = new Set(pull.labels.map(name => name.toLowerCase()))
    const ours = (Object.keys(PLAN_LABELS) as PlanLabel[]).map(label => request.prefix + label)
    const wanted = new Set(request.wanted.map(label => (request.prefix + label).toLowerCase()))
    const add = request.wanted.filter(label => !has.has((request.prefix + label).toLowerCase()))
    const remove = pull.labels.filter(
      name =>
        ours.some(own => own.toLowerCase() === name.toLowerCase()) &&
        !wanted.has(name.toLowerCase())
    )
    for (const label of add) await ensureLabel(github, request, label)
    if (add.length > 0) {
      await github.rest.issues.addLabels({
        owner: request.owner,
        repo: request.repo,
        issue_number: request.number,
        labels: add.map(label => request.prefix + label)
      })
    }
    for (const name of remove) await removeLabel(github, request, name)
    return []
  } catch (error) {
    const permissions =
      statusOf(error) === 403 && !isRateLimit(error)
        ? ': the github-token needs issues: write and pull-requests: write'
        : ''
    return [`The plan labels were not updated${permissions} (${describeFailure(error)}).`]
  }
}

/** Creates the repository label with its colour and description unless it exists. */
async function ensureLabel(github: GitHub, request: LabelRequest, label: PlanLabel): Promise<void> {
  const name = request.prefix + label
  try {
    await github.rest.issues.getLabel({ owner: request.owner, repo: request.repo, name })
    return
  } catch (error) {
    if (statusOf(error) !== 404) throw error
  }
  try {
    await github.rest.issues.createLabel({
      owner: request.owner,
      repo: request.repo,
      name,
      ...PLAN_LABELS[label]
    })
  } catch (error) {
    // A sibling job created it meanwhile.
    if (statusOf(error) !== 422) throw error
  }
}

async function removeLabel(github: GitHub, request: LabelRequest, name: string): Promise<void> {
  try {
    await github.rest.issues.removeLabel({
      owner: request.owner,
      repo: request.repo,
      issue_number: request.number,
      name
    })
  } catch (error) {
    // Removed by someone else meanwhile.
    if (statusOf(error) !== 404) throw error
  }
}
