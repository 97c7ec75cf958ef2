// The pull request as GitHub has it now: its head, its author and its labels.
import type { GitHub } from '../publish/github.js'
import type { PullRequestSettings } from '../settings.js'

export interface PullRequestLocation {
  owner: string
  repo: string
  number: number
}

export function pullRequestLocation(pullRequest: PullRequestSettings): PullRequestLocation {
  return { ...pullRequest.repository, number: pullRequest.number }
}

export interface PullRequestState {
  headSha: string
  author: string
  labels: string[]
}

export async function readPullRequest(
  github: GitHub,
  location: PullRequestLocation
): Promise<PullRequestState> {
  const { data } = await github.rest.pulls.get({
    owner: location.owner,
    repo: location.repo,
    pull_number: location.number
  })
  return {
    headSha: data.head.sha.toLowerCase(),
    author: data.user?.login ?? '',
    labels: data.labels.flatMap(label => (label.name ? [label.name] : []))
  }
}
