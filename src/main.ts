// run(): settings → runs → plans → publish → gates. The only place that knows the order.
import * as core from '@actions/core'
import { context } from '@actions/github'
import { getSettings } from './settings.js'
import type { Settings } from './settings.js'
import { createTfcClient } from './tfc/client.js'
import { createLimiter } from './util/concurrency.js'
import { inspectTarget } from './inspect.js'
import { describeTarget, resolveTargets } from './targets.js'
import type { WorkspaceResult } from './result.js'
import { workspaceKey } from './result.js'
import { publish } from './publish/publish.js'
import { publishApply } from './publish/publish-apply.js'
import { createCommitStatuses } from './publish/commit-status.js'
import { compareWithLastPush } from './since-last-push.js'
import { watchCancellation } from './util/cancellation.js'
import { errorMessage } from './util/error-message.js'
import { createGitHubClient } from './publish/github.js'
import type { GitHub } from './publish/github.js'
import { readWaiver } from './github/verdicts.js'
import { pullRequestLocation } from './github/pull-request.js'
import { applyOverrides } from './gates/overrides.js'

/**
 * How many runs are awaited and read at once. The client's request budget keeps the API's rate
 * limits; discovered runs wait in the organization's run list until they may be over.
 */
const CONCURRENT_RUNS = 8

export async function run(): Promise<void> {
  const cancellation = watchCancellation()
  try {
    const settings = getSettings()
    const client = createTfcClient({
      origin: settings.origin,
      token: settings.token,
      signal: cancellation.signal
    })
    const github = settings.pullRequest
      ? createGitHubClient({
          token: settings.pullRequest.token,
          baseUrl: settings.pullRequest.apiUrl
        })
      : undefined
    const { targets, ready } = await resolveTargets(client, github, settings, cancellation.signal)
    const statuses = createCommitStatuses(settings.apply)
    const limit = createLimiter(CONCURRENT_RUNS)
    const settled = await Promise.allSettled(
      targets.map(async target => {
        await ready?.(target)
        return limit(() =>
          inspectTarget(client, target, settings, cancellation.signal, targets.length > 1, {
            applyAwaited: statuses && (run => statuses.pending(run))
          })
        )
      })
    )
    cancellation.throwIfCancelled()

    const inspected = settled.flatMap(s => (s.status === 'fulfilled' ? [s.value] : []))
    const results = await waiveGates(inspected, github, settings)
    const failures = settled.flatMap((s, i) =>
      s.status === 'rejected' ? [`${describeTarget(targets[i])}: ${errorMessage(s.reason)}`] : []
    )
    // After the merge the plan comment stays as it was reviewed: nothing to compare it with.
    if (!settings.apply) await compareWithLastPush(client, results, settings)
    const publishResults = settings.apply ? publishApply : publish
    const publishProblems =
      results.length > 0
        ? await publishResults(results, settings, runLink(), cancellation.signal)
        : []
    await statuses?.settle(results)

    const problems = [...failures, ...publishProblems, ...gateFailures(results)]
    if (problems.length > 0) core.setFailed(problems.join('\n'))
  } catch (error) {
    // A cancellation was reported when the signal arrived.
    if (!cancellation.signal.aborted) core.setFailed(errorMessage(error))
  } finally {
    cancellation.dispose()
  }
}

/**
 * Moves the tripped gates that an allowed approval or label waives out of the failing ones. Without
 * a pull request (a push, a merge queue) there is nothing to approve: the gates stay as they are.
 */
async function waiveGates(
  results: WorkspaceResult[],
  github: GitHub | undefined,
  settings: Settings
): Promise<WorkspaceResult[]> {
  const { overrides, pullRequest } = settings
  if (!overrides || !pullRequest || !github) return results
  const tripped = results.some(result => result.gates.length > 0)
  const reading = tripped
    ? await readWaiver(github, pullRequestLocation(pullRequest), overrides)
    : { warnings: [] }
  for (const warning of reading.warnings) core.warning(warning)
  if (reading.waiver) core.info(`Override: ${reading.waiver.how} by @${reading.waiver.by}`)
  return results.map(result => applyOverrides(result, overrides, reading.waiver))
}

/** One line per tripped gate, prefixed with the workspace when there are several. */
function gateFailures(results: WorkspaceResult[]): string[] {
  return results.flatMap(result =>
    result.gates.map(gate => {
      const where = results.length > 1 ? `${workspaceKey(result)}: ` : ''
      return `${where}fail-on ${gate.condition}: ${gate.message}`
    })
  )
}

function runLink(): string | undefined {
  const { serverUrl, runId, repo } = context
  if (!runId || !process.env.GITHUB_REPOSITORY) return undefined
  return `${serverUrl}/${repo.owner}/${repo.repo}/actions/runs/${runId}`
}
