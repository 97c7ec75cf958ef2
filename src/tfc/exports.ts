// A plan's Sentinel mock bundle: exported by HCP Terraform, downloaded without the token and
// unpacked for policy tests. The files can hold unredacted sensitive values: never print them.
import * as core from '@actions/core'
import { extractTar } from '@actions/tool-cache'
import { mkdir, mkdtemp, open, readdir, rm } from 'node:fs/promises'
import path from 'node:path'
import { systemClock } from '../util/clock.js'
import type { Clock } from '../util/clock.js'
import type { SentinelMocks } from '../result.js'
import type { JsonApiDocument, JsonApiResource } from './api-types.js'
import type { TfcClient } from './client.js'
import { TfcApiError } from './errors.js'
import { relatedIds } from './jsonapi.js'
import { errorMessage } from '../util/error-message.js'
import { MAX_TEMPORARY_URLS, saveTemporaryUrl } from './temporary-url.js'

export interface SentinelMocksRequest {
  planId: string
  /** Folder the bundle is unpacked under (RUNNER_TEMP). */
  destRoot: string
  /** Leave the export in HCP Terraform afterwards. */
  keep: boolean
  /** For the export to finish and download. */
  timeoutMs: number
  pollIntervalMs?: number
  /** Time for polling the export (default: the system clock). */
  clock?: Clock
  log?: (line: string) => void
  /** For problems that do not stop the export (a failed clean-up). */
  warn?: (message: string) => void
}

export class SentinelMocksError extends Error {
  override name = 'SentinelMocksError'
}

const DATA_TYPE = 'sentinel-mock-bundle-v0'
const REUSABLE_STATUSES = ['pending', 'queued', 'finished']
const FAILED_STATUSES: Record<string, string> = {
  errored: 'HCP Terraform could not build the bundle',
  expired: 'the bundle is no longer downloadable (exports expire an hour after they finish)',
  canceled: 'the export was canceled'
}
const DEFAULT_POLL_INTERVAL_MS = 2000

/** Exports, downloads and unpacks the plan's Sentinel mocks into a fresh folder under `destRoot`. */
export async function exportSentinelMocks(
  client: TfcClient,
  request: SentinelMocksRequest
): Promise<SentinelMocks> {
  const log = request.log ?? ((line: string) => core.info(line))
  const warn = request.warn ?? ((message: string) => core.warning(message))
  const clock = request.clock ?? systemClock
  const deadline = clock.now() + request.timeoutMs
  const exportRef = await createOrReuseExport(client, request.planId)
  log(`Sentinel mocks: ${exportRef.created ? 'created' : 'reusing'} plan export ${exportRef.id}.`)
  try {
    await waitUntilFinished(client, exportRef.id, {
      deadline,
      clock,
      pollIntervalMs: request.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
      timeoutMs: request.timeoutMs
    })
    const mocks = await downloadAndUnpack(client, exportRef.id, request, log)
    log(`Sentinel mocks: ${mocks.files.length} files unpacked to ${mocks.path}.`)
    return mocks
  } finally {
    // Only an export made here is removed: a reused one may belong to someone else.
    if (exportRef.created && !request.keep) await deleteExport(client, exportRef.id, warn)
  }
}

async function createOrReuseExport(
  client: TfcClient,
  planId: string
): Promise<{ id: string; created: boolean }> {
  try {
    const response = await client.api<JsonApiDocument>('/plan-exports', {
      method: 'POST',
      body: {
        data: {
          type: 'plan-exports',
          attributes: { 'data-type': DATA_TYPE },
          relationships: { plan: { data: { type: 'plans', id: planId } } }
        }
      }
    })
    return { id: (response.body?.data as JsonApiResource).id, created: true }
  } catch (error) {
    if (!(error instanceof TfcApiError)) throw error
    if (error.status === 404) {
      throw new SentinelMocksError(
        `Plan ${planId} cannot be exported: the token may not export this plan (it needs the ` +
          'workspace permission "Download Sentinel mocks", part of write and admin access) or ' +
          'the plan is unknown.'
      )
    }
    if (error.status !== 422) throw error
    // Usually an export of this type is already pending or downloadable for the plan.
    const existing = await findReusableExport(client, planId)
    if (existing) return { id: existing, created: false }
    throw new SentinelMocksError(`HCP Terraform refused to export plan ${planId}: ${error.message}`)
  }
}

async function findReusableExport(client: TfcClient, planId: string): Promise<string | undefined> {
  const plan = await client.api<JsonApiDocument>(`/plans/${encodeURIComponent(planId)}`)
  const planResource = plan.body?.data as JsonApiResource | undefined
  for (const id of planResource ? relatedIds(planResource, 'exports') : []) {
    const planExport = await readExport(client, id)
    if (
      planExport.attributes?.['data-type'] === DATA_TYPE &&
      REUSABLE_STATUSES.includes(String(planExport.attributes?.status))
    ) {
      return id
    }
  }
  return undefined
}

async function waitUntilFinished(
  client: TfcClient,
  exportId: string,
  timing: {
    deadline: number
    clock: Clock
    pollIntervalMs: number
    timeoutMs: number
  }
): Promise<void> {
  for (;;) {
    const status = String((await readExport(client, exportId)).attributes?.status)
    if (status === 'finished') return
    if (status in FAILED_STATUSES) {
      throw new SentinelMocksError(
        `Sentinel mock export ${exportId} ${status}: ${FAILED_STATUSES[status]}.`
      )
    }
    const remaining = timing.deadline - timing.clock.now()
    if (remaining <= 0) {
      throw new SentinelMocksError(
        `Sentinel mock export ${exportId} did not finish within ` +
          `${Math.round(timing.timeoutMs / 1000)} s (still ${status}).`
      )
    }
    await timing.clock.sleep(Math.min(timing.pollIntervalMs, remaining))
  }
}

async function readExport(client: TfcClient, exportId: string): Promise<JsonApiResource> {
  const response = await client.api<JsonApiDocument>(
    `/plan-exports/${encodeURIComponent(exportId)}`
  )
  return response.body?.data as JsonApiResource
}

async function downloadAndUnpack(
  client: TfcClient,
  exportId: string,
  request: SentinelMocksRequest,
  log: (line: string) => void
): Promise<SentinelMocks> {
  await mkdir(request.destRoot, { recursive: true })
  const folder = await mkdtemp(path.join(request.destRoot, `sentinel-mocks-${request.planId}-`))
  const archive = `${folder}.tar.gz`
  try {
    await download(client, exportId, archive, log)
    // Download hosts may send the bundle gzip-encoded, which the fetch undoes.
    await extractTar(archive, folder, (await isGzip(archive)) ? 'xz' : 'x')
    return { path: folder, files: await listFiles(folder) }
  } catch (error) {
    await rm(folder, { recursive: true, force: true })
    throw error
  } finally {
    await rm(archive, { force: true })
  }
}

/** The API redirects to a temporary URL that carries its own secret: fetch it without the token. */
async function download(
  client: TfcClient,
  exportId: string,
  archive: string,
  log: (line: string) => void
): Promise<void> {
  for (let attempt = 1; attempt <= MAX_TEMPORARY_URLS; attempt++) {
    const response = await client.api(`/plan-exports/${encodeURIComponent(exportId)}/download`, {
      accept: [302]
    })
    if (!response.location) {
      throw new SentinelMocksError(`HCP Terraform gave no download URL for export ${exportId}.`)
    }
    const saved = await saveTemporaryUrl(client, response.location, archive)
    if ('bytes' in saved) return
    if (saved.expiredStatus === undefined) {
      throw new SentinelMocksError(
        `Downloading Sentinel mock export ${exportId} failed: ${saved.problem}`
      )
    }
    log(
      `Sentinel mocks: the download URL expired (HTTP ${saved.expiredStatus}); asking for a new one.`
    )
  }
  throw new SentinelMocksError(
    `Downloading Sentinel mock export ${exportId} failed: its download URL expired ` +
      `${MAX_TEMPORARY_URLS} times in a row.`
  )
}

/** A gzip file starts with the bytes 1f 8b. */
async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, 'r')
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0)
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b
  } finally {
    await handle.close()
  }
}

/** Relative paths (with `/`) of every file under `folder`, sorted. */
async function listFiles(folder: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(path.join(folder, prefix), { withFileTypes: true })
  const nested = await Promise.all(
    entries.map(async entry => {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name
      if (entry.isDirectory()) return listFiles(folder, relative)
      return entry.isFile() ? [relative] : []
    })
  )
  return nested.flat().sort()
}

async function deleteExport(
  client: TfcClient,
  exportId: string,
  warn: (message: string) => void
): Promise<void> {
  try {
    await client.api(`/plan-exports/${encodeURIComponent(exportId)}`, { method: 'DELETE' })
  } catch (error) {
    warn(
      `Sentinel mocks: could not delete plan export ${exportId} (it expires on its own): ` +
        errorMessage(error)
    )
  }
}
