// run(): settings → runs → plans → publish → gates. The only place that knows the order.
import * as core from '@actions/core'
import { context } from '@actions/github'
import { getSettings } from './settings.js'
import type { Settings } from './settings.js'
import { createTfcClient } from './tfc/client.js'
import type { TfcClient } from './tfc/client.js'
import { discoverRuns } from './tfc/discovery.js'
import { watchRunList } from './tfc/run-list-watch.js'
import { isPlanOver, isRunOver } from './tfc/run-progress.js'
import { createLimiter } from './util/concurrency.js'
import { inspectTarget } from './inspect.js'
import type { InspectTarget } from './inspect.js'
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
import { recordedRunsForHead } from './github/recorded-runs.js'
import { readWaiver } from './github/verdicts.js'
import { pullRequestLocation } from './github/pull-request.js'
import { applyOverrides } from './gates/overrides.js'

/**
 * How many runs are awaited and read at once. The client's request budget keeps the API's rate
 * limits; discovered runs wait in the organization's run list until they may be over.
 */
const CONCURRENT_RUNS = 8

/** What to inspect, and (for discovered runs) when each may start to be awaited on its own. */
interface Targets {
  targets: InspectTarget[]
  ready?: (target: InspectTarget) => Promise<void>
}

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

async function resolveTargets(
  client: TfcClient,
  github: GitHub | undefined,
  settings: Settings,
  signal: AbortSignal
): Promise<Targets> {
  const target = settings.target
  switch (target.kind) {
    case 'recorded': {
      const pullRequest = settings.pullRequest
      // Settings require a pull request and a token for a re-evaluation.
      if (!github || !pullRequest) throw new Error('No pull request to re-evaluate.')
      const runs = await recordedRunsForHead(
        github,
        pullRequestLocation(pullRequest),
        settings.commentLabel
      )
      core.info(`Re-evaluating the gates of ${runs.map(run => run.runId ?? run.planId).join(', ')}`)
      return {
        targets: runs.map(run => (run.runId ? { runId: run.runId } : { planId: run.planId }))
      }
    }
    case 'runs':
      return { targets: target.runIds.map(runId => ({ runId })) }
    case 'plans':
      return { targets: target.planIds.map(planId => ({ planId })) }
    case 'discover': {
      const runs = await discoverRuns(client, {
        organization: target.organization,
        workspaces: target.workspaces,
        commitSha: target.commitSha,
        appliedOnly: settings.waitFor === 'apply',
        timeoutMs: settings.waitTimeoutMs,
        pollIntervalMs: settings.pollIntervalMs,
        log: line => core.info(line),
        signal
      })
      const targets = runs.map(found => ({ runId: found.runId }))
      // An apply is awaited run by run: each one's own wait reports a run left awaiting a person
      // (and sets its pending commit status) when the run list would only time it out.
      if (runs.length === 1 || settings.waitFor === 'apply') return { targets }
      const watch = watchRunList(client, {
        organization: target.organization,
        commitSha: target.commitSha,
        runs,
        isOver: settings.waitFor === 'run' ? isRunOver : isPlanOver,
        timeoutMs: settings.waitTimeoutMs,
        pollIntervalMs: settings.pollIntervalMs,
        log: line => core.info(line),
        signal
      })
      return { targets, ready: found => watch.mayBeOver(describeTarget(found)) }
    }
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

function describeTarget(target: InspectTarget): string {
  return 'runId' in target ? target.runId : target.planId
}
