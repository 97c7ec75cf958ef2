// "Since the last push": each sticky comment records the commit and runs it showed; when the
// workspace's plan is now for another commit, the plan recorded there is read again and compared
// with this one. Best effort throughout: whatever cannot be read becomes a note, never a failure.
import { rm } from 'node:fs/promises'
import * as core from '@actions/core'
import type { Settings } from './settings.js'
import type { TfcClient } from './tfc/client.js'
import type { SinceLastPush, WorkspaceResult } from './result.js'
import { workspaceKey } from './result.js'
import { downloadJsonPlan } from './tfc/json-plan.js'
import { readJsonPlanFile } from './plan/parse.js'
import { buildVisiblePlanModel } from './plan/hide-attributes.js'
import { comparePlans } from './plan/compare.js'
import { createGitHubClient } from './publish/github.js'
import { readRecordedComments } from './publish/comment.js'
import type { RecordedComment } from './publish/comment.js'
import type { RecordedRun } from './publish/comment-record.js'
import { errorMessage } from './util/error-message.js'
import { mapConcurrent } from './util/concurrency.js'

/** Sets `sinceLastPush` on each result whose comment showed a plan of another commit. */
export async function compareWithLastPush(
  client: TfcClient,
  results: WorkspaceResult[],
  settings: Settings
): Promise<void> {
  const comment = settings.comment
  if (!comment) return
  let recorded: RecordedComment[]
  try {
    // Best effort, without retries of its own: the comment is written next, with retries, and a
    // failing GitHub must not hold the step twice as long.
    const github = createGitHubClient({ token: comment.token, baseUrl: comment.apiUrl, retries: 0 })
    recorded = await readRecordedComments(
      github,
      {
        owner: comment.repository.owner,
        repo: comment.repository.repo,
        issueNumber: comment.prNumber
      },
      settings.commentLabel
    )
  } catch (error) {
    core.info(`The plans shown before could not be read back: ${errorMessage(error)}`)
    return
  }
  // compareWith never throws: every result settles.
  await mapConcurrent(results, CONCURRENT_DOWNLOADS, async result => {
    const commit = settings.commitSha ?? result.commitSha
    const previous = previousRun(recorded, result)
    if (!previous || !isEarlierPush(previous, result, commit?.toLowerCase())) return
    if (result.model.source === 'api-counts') return
    result.sinceLastPush = await compareWith(client, previous, result, settings)
  })
}

/** Earlier plans read at once: as many as the runs awaited at once. */
const CONCURRENT_DOWNLOADS = 4

interface PreviousRun {
  commit?: string
  run: RecordedRun
}

/** The workspace's run in the newest comment that recorded one. */
function previousRun(
  recorded: RecordedComment[],
  result: WorkspaceResult
): PreviousRun | undefined {
  const key = workspaceKey(result)
  for (const comment of [...recorded].reverse()) {
    const run = comment.record.runs.find(candidate => candidate.key === key)
    if (run) return { commit: comment.record.commit, run }
  }
  return undefined
}

/** Another plan, and not of this same commit (a re-run shows the same push again). */
function isEarlierPush(
  previous: PreviousRun,
  result: WorkspaceResult,
  commit: string | undefined
): boolean {
  if (previous.run.planId === result.planId) return false
  return previous.commit === undefined || commit === undefined || previous.commit !== commit
}

async function compareWith(
  client: TfcClient,
  previous: PreviousRun,
  result: WorkspaceResult,
  settings: Settings
): Promise<SinceLastPush> {
  const { planId, runId } = previous.run
  const shown: SinceLastPush = {
    ...(previous.commit !== undefined && { previousCommit: previous.commit }),
    ...(runId !== undefined && { previousRunId: runId }),
    previousPlanId: planId
  }
  let path: string | undefined
  try {
    const download = await downloadJsonPlan(client, { planId }, { destDir: settings.tempDir })
    if (download.kind === 'unavailable') return { ...shown, unavailable: download.reason }
    path = download.path
    const model = buildVisiblePlanModel(
      await readJsonPlanFile(path),
      download.kind,
      settings.hideAttributes
    )
    return { ...shown, comparison: comparePlans(model, result.model) }
  } catch (error) {
    return { ...shown, unavailable: errorMessage(error) }
  } finally {
    if (path !== undefined) await rm(path, { force: true })
  }
}
