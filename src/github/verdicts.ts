// GitHub's verdicts on a pull request, for overrides: its reviews and label events, and whether
// the people who approved or labelled may waive (a listed user, a member of a listed team, or a
// writer). Reading fails closed: whatever cannot be read waives nothing, with a warning that names
// the permission the token lacks.
import type { GitHub } from '../publish/github.js'
import { describeFailure, isRateLimit, statusOf } from '../publish/github-errors.js'
import type { Waiver } from '../result.js'
import type {
  LabelEvent,
  OverrideSettings,
  PullRequestEvidence,
  Review
} from '../gates/overrides.js'
import { approverName, chooseWaiver, isListedUser, overrideCandidates } from '../gates/overrides.js'
import type { PullRequestLocation } from './pull-request.js'
import { readPullRequest } from './pull-request.js'

export interface WaiverReading {
  waiver?: Waiver
  /** Why an approval or label did not count although it might have, or why nothing was read. */
  warnings: string[]
}

/** Repository permissions that may add the override label when no approvers are listed. */
const WRITER_PERMISSIONS = new Set(['admin', 'maintain', 'write'])

export async function readWaiver(
  github: GitHub,
  location: PullRequestLocation,
  settings: OverrideSettings
): Promise<WaiverReading> {
  const warnings: string[] = []
  try {
    const evidence = await readEvidence(github, location, settings)
    const { approvers, labelAdder } = overrideCandidates(evidence, settings)
    // With approvers listed, approvals and the label count from them only; else the label counts
    // from writers.
    const listed = settings.approvers.length > 0
    const standing = new Map<string, boolean>()
    if (listed) {
      const people = [...approvers, ...(labelAdder !== undefined ? [labelAdder] : [])]
      for (const login of new Set(people)) {
        standing.set(login, await isApprover(github, settings, login, warnings))
      }
    } else if (labelAdder !== undefined) {
      standing.set(labelAdder, await isWriter(github, location, labelAdder, warnings))
    }
    const waiver = chooseWaiver(evidence, settings, login => standing.get(login) === true)
    return { waiver, warnings }
  } catch (error) {
    warnings.push(
      `Overrides were not read, so no tripped gate is waived: ${describeFailure(error)}` +
        permissionHint(error, 'pull-requests: read')
    )
    return { warnings }
  }
}

async function readEvidence(
  github: GitHub,
  location: PullRequestLocation,
  settings: OverrideSettings
): Promise<PullRequestEvidence> {
  const pull = await readPullRequest(github, location)
  const reviews = settings.approvers.length > 0 ? await readReviews(github, location) : []
  const labelPresent =
    settings.label !== undefined &&
    pull.labels.some(name => name.toLowerCase() === settings.label?.toLowerCase())
  const labelEvents = labelPresent ? await readLabelEvents(github, location) : []
  return { ...pull, reviews, labelEvents }
}

async function readReviews(github: GitHub, location: PullRequestLocation): Promise<Review[]> {
  const reviews = await github.paginate(github.rest.pulls.listReviews, {
    owner: location.owner,
    repo: location.repo,
    pull_number: location.number,
    per_page: 100
  })
  return reviews.flatMap(review =>
    review.user?.login
      ? [{ login: review.user.login, state: review.state, commitId: review.commit_id ?? null }]
      : []
  )
}

async function readLabelEvents(
  github: GitHub,
  location: PullRequestLocation
): Promise<LabelEvent[]> {
  const events = await github.paginate(github.rest.issues.listEvents, {
    owner: location.owner,
    repo: location.repo,
    issue_number: location.number,
    per_page: 100
  })
  return events.flatMap(event => {
    const label = (event as { label?: { name?: string } }).label?.name
    const actor = event.actor?.login
    if ((event.event !== 'labeled' && event.event !== 'unlabeled') || !label || !actor) return []
    return [{ event: event.event, label, actor }]
  })
}

/** A listed user, or an active member of a listed team. */
async function isApprover(
  github: GitHub,
  settings: OverrideSettings,
  login: string,
  warnings: string[]
): Promise<boolean> {
  if (isListedUser(settings, login)) return true
  for (const approver of settings.approvers) {
    if (approver.kind !== 'team') continue
    try {
      const { data } = await github.rest.teams.getMembershipForUserInOrg({
        org: approver.org,
        team_slug: approver.slug,
        username: login
      })
      if (data.state === 'active') return true
    } catch (error) {
      const status = statusOf(error)
      // 404: not a member (or a team the token cannot see, which GitHub does not tell apart).
      if (status === 404) continue
      if (status !== 403 || isRateLimit(error)) throw error
      warnings.push(
        `The membership of @${login} in ${approverName(approver)} could not be read ` +
          `(${describeFailure(error)}), so their approval or label does not count: the ` +
          'github-token needs the organization permission members: read (e.g. a GitHub App ' +
          "token); the workflow's GITHUB_TOKEN cannot read team memberships."
      )
    }
  }
  return false
}

/** Write, maintain or admin permission on the repository. */
async function isWriter(
  github: GitHub,
  location: PullRequestLocation,
  login: string,
  warnings: string[]
): Promise<boolean> {
  try {
    const { data } = await github.rest.repos.getCollaboratorPermissionLevel({
      owner: location.owner,
      repo: location.repo,
      username: login
    })
    const role = (data as { role_name?: string }).role_name
    return (
      WRITER_PERMISSIONS.has(data.permission) ||
      (role !== undefined && WRITER_PERMISSIONS.has(role))
    )
  } catch (error) {
    const status = statusOf(error)
    // 404: not a collaborator at all.
    if (status === 404) return false
    if (status !== 403 || isRateLimit(error)) throw error
    warnings.push(
      `The repository permission of @${login}, who added the override label, could not be read ` +
        `(${describeFailure(error)}), so the label does not count: the github-token needs ` +
        'metadata: read on the repository.'
    )
    return false
  }
}

function permissionHint(error: unknown, permission: string): string {
  return statusOf(error) === 403 && !isRateLimit(error)
    ? `; the github-token needs ${permission}.`
    : '.'
}
