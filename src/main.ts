// run(): settings → runs → plans → publish → gates. The only place that knows the order.
import * as core from '@actions/core'
import { context } from '@actions/github'
import { getSettings } from './settings.js'
import type { Settings } from './settings.js'
import { createTfcClient } from './tfc/client.js'
import type { TfcClient } from './tfc/client.js'
import { discoverRuns } from './tfc/discovery.js'
import { mapConcurrent } from './util/concurrency.js'
import { inspectTarget } from './inspect.js'
import type { InspectTarget } from './inspect.js'
import type { WorkspaceResult } from './result.js'
import { workspaceKey } from './result.js'
import { publish } from './publish/publish.js'
import { compareWithLastPush } from './since-last-push.js'
import { watchCancellation } from './util/cancellation.js'
import { errorMessage } from './util/error-message.js'

/** How many runs are awaited at once: enough for a monorepo, gentle on the API's rate limit. */
const CONCURRENT_RUNS = 4

export async function run(): Promise<void> {
  const cancellation = watchCancellation()
  try {
    const settings = getSettings()
    const client = createTfcClient({ origin: settings.origin, token: settings.token })
    const targets = await resolveTargets(client, settings, cancellation.signal)
    const settled = await mapConcurrent(targets, CONCURRENT_RUNS, target =>
      inspectTarget(client, target, settings, cancellation.signal, targets.length > 1)
    )
    cancellation.throwIfCancelled()

    const results = settled.flatMap(s => (s.status === 'fulfilled' ? [s.value] : []))
    const failures = settled.flatMap((s, i) =>
      s.status === 'rejected' ? [`${describeTarget(targets[i])}: ${errorMessage(s.reason)}`] : []
    )
    await compareWithLastPush(client, results, settings)
    const publishProblems =
      results.length > 0 ? await publish(results, settings, runLink(), cancellation.signal) : []

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
  settings: Settings,
  signal: AbortSignal
): Promise<InspectTarget[]> {
  const target = settings.target
  switch (target.kind) {
    case 'runs':
      return target.runIds.map(runId => ({ runId }))
    case 'plans':
      return target.planIds.map(planId => ({ planId }))
    case 'discover': {
      const runs = await discoverRuns(client, {
        organization: target.organization,
        workspaces: target.workspaces,
        commitSha: target.commitSha,
        timeoutMs: settings.waitTimeoutMs,
        pollIntervalMs: settings.pollIntervalMs,
        log: line => core.info(line),
        signal
      })
      return runs.map(found => ({ runId: found.runId }))
    }
  }
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
