// Publishes an apply (`wait-for: apply`): the apply comments on the commit's pull requests, the
// job summary (the apply, then the plan it applied), the outputs and the final commit statuses.
import type { Settings } from '../settings.js'
import type { WorkspaceResult } from '../result.js'
import { renderSummary } from '../render/report.js'
import { renderApplySummary } from '../render/apply-report.js'
import { utf8Length } from '../render/budget.js'
import { publishApplyComments } from './apply-comment.js'
import { SUMMARY_LIMIT, linkedCommit, writeSummaryAndOutputs } from './publish.js'
import { buildOutputs } from './outputs.js'
import { createMasker } from '../util/mask.js'
import type { PostedComments } from './posted.js'

/** The plan below the apply gets what the apply leaves of the summary's limit. */
const APPLY_SHARE_OF_SUMMARY = 0.5

/** Returns problems that must fail the step (after everything else was written). */
export async function publishApply(
  results: WorkspaceResult[],
  settings: Settings,
  runLink: string | undefined,
  signal: AbortSignal
): Promise<string[]> {
  const apply = settings.apply
  if (apply === undefined) return []
  const problems: string[] = []
  const label = settings.commentLabel || undefined
  const commit = apply.commitSha ? linkedCommit(apply.commitSha, settings) : undefined
  const masker = createMasker(settings.masks)

  let comments: PostedComments = new Map()
  const { github, comment } = apply
  if (github && comment) {
    const written = await publishApplyComments(
      results,
      { ...apply, github, comment },
      { label, commit, masker },
      signal
    )
    comments = written.posted
    if (written.failure) problems.push(written.failure)
  }
  const applied = renderApplySummary(results, {
    label,
    commit,
    masker,
    maxLength: SUMMARY_LIMIT * APPLY_SHARE_OF_SUMMARY
  })
  const planned = renderSummary(results, {
    masker,
    details: settings.details,
    groupBy: settings.groupBy,
    label,
    summaryUrl: runLink,
    maxLength: SUMMARY_LIMIT - utf8Length(applied)
  })
  await writeSummaryAndOutputs(`${applied}\n${planned}`, buildOutputs(results, comments), masker)
  return problems
}
