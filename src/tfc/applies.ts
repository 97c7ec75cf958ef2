// A run's apply from the API: `GET /applies/:id` (or `/runs/:id/apply` before the run links it),
// and its log behind `log-read-url`.
import type { JsonApiDocument } from './api-types.js'
import type { TfcClient } from './client.js'
import { asCount, asString, primaryResource } from './jsonapi.js'
import { readEnd } from './logs.js'
import { openTemporaryUrl } from './temporary-url.js'
import { parseApplyLog } from './apply-log.js'
import type { ApplyLog } from './apply-log.js'
import type { ApplyCounts } from '../run/apply.js'

export interface ApplySnapshot {
  applyId: string
  /** pending, managed_queued, queued, running, errored, canceled, finished, unreachable */
  status: string
  /** HCP Terraform's counts; undefined until the apply has run (and imports on older servers). */
  counts?: ApplyCounts
  /** Secret URL of the apply's log: never log it. */
  logReadUrl?: string
}

/** Only the end of a longer log is read: errors and outputs come last. */
const MAX_APPLY_LOG_BYTES = 5 * 1024 * 1024

export async function getApply(
  client: TfcClient,
  ref: { applyId?: string; runId: string }
): Promise<ApplySnapshot> {
  const path =
    ref.applyId !== undefined
      ? `/applies/${encodeURIComponent(ref.applyId)}`
      : `/runs/${encodeURIComponent(ref.runId)}/apply`
  const { body } = await client.api<JsonApiDocument>(path)
  const apply = primaryResource(body, `GET ${path}`)
  const attributes = apply.attributes ?? {}
  const add = asCount(attributes['resource-additions'])
  const change = asCount(attributes['resource-changes'])
  const destroy = asCount(attributes['resource-destructions'])
  const counted = add !== undefined || change !== undefined || destroy !== undefined
  return {
    applyId: apply.id,
    status: asString(attributes.status) ?? 'unknown',
    ...(counted && {
      counts: {
        add: add ?? 0,
        change: change ?? 0,
        destroy: destroy ?? 0,
        import: asCount(attributes['resource-imports']) ?? 0
      }
    }),
    logReadUrl: asString(attributes['log-read-url'])
  }
}

/** Reads and parses `log-read-url` (a secret URL: masked, fetched without the token). */
export async function readApplyLog(client: TfcClient, logReadUrl: string): Promise<ApplyLog> {
  const response = await openTemporaryUrl(client, logReadUrl)
  return parseApplyLog(await readEnd(response.body, MAX_APPLY_LOG_BYTES))
}
