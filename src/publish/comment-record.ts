// What a sticky plan comment reports, recorded in the comment itself as one hidden line at its end:
// the commit and the runs. Later jobs read it back to compare with the plan they last showed, or to
// re-evaluate the gates of those runs on a review or label event without a new plan.
import type { WorkspaceResult } from '../result.js'
import { workspaceKey } from '../result.js'
import { isRecord } from '../util/is-record.js'

export interface RecordedRun {
  /** The result's key (workspace, else run or plan ID), as in the comment's marker. */
  key: string
  organization?: string
  workspace?: string
  runId?: string
  planId: string
}

export interface CommentRecord {
  /** The commit the runs planned, when the job knew it. */
  commit?: string
  runs: RecordedRun[]
}

const PREFIX = '<!-- tfc-plan-summary-record '
const SUFFIX = ' -->'

export function recordOf(results: WorkspaceResult[], commit: string | undefined): CommentRecord {
  return {
    ...(commit !== undefined && { commit: commit.toLowerCase() }),
    runs: results.map(result => ({
      key: workspaceKey(result),
      ...(result.organization !== undefined && { organization: result.organization }),
      ...(result.workspace !== undefined && { workspace: result.workspace }),
      ...(result.runId !== undefined && { runId: result.runId }),
      planId: result.planId
    }))
  }
}

/**
 * The hidden line. Its JSON escapes `<`, `>` and `&`, so that no value can end the HTML comment
 * early (`-->`, `--!>`) or be read as markup.
 */
export function commentRecordLine(record: CommentRecord): string {
  const json = JSON.stringify(record).replace(
    /[<>&]/g,
    char => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
  return `${PREFIX}${json}${SUFFIX}`
}

/** The record of a comment body; undefined for comments without one, or with a broken one. */
export function readCommentRecord(body: string): CommentRecord | undefined {
  const start = body.lastIndexOf(PREFIX)
  if (start < 0) return undefined
  const end = body.indexOf(SUFFIX, start + PREFIX.length)
  if (end < 0) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(body.slice(start + PREFIX.length, end))
  } catch {
    return undefined
  }
  if (!isRecord(parsed) || !Array.isArray(parsed.runs)) return undefined
  const runs = parsed.runs.filter(isRecordedRun)
  if (runs.length !== parsed.runs.length) return undefined
  const commit = typeof parsed.commit === 'string' ? parsed.commit : undefined
  return { ...(commit !== undefined && { commit }), runs }
}

function isRecordedRun(value: unknown): value is RecordedRun {
  if (!isRecord(value)) return false
  const optional = ['organization', 'workspace', 'runId'] as const
  return (
    typeof value.key === 'string' &&
    typeof value.planId === 'string' &&
    optional.every(name => value[name] === undefined || typeof value[name] === 'string')
  )
}
