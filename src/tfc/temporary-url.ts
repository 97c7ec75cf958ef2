// Temporary URLs from HCP Terraform (archivist JSON plans, log-read-url, Sentinel output, export
// bundles): they carry their own secret, so they are masked, fetched without the token through the
// client's fetchExternal (its timeouts, stall watchdog, retries and manual redirects), never logged.
import { createWriteStream } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { PassThrough, Transform } from 'node:stream'
import type { TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import * as core from '@actions/core'
import type { Response } from 'node-fetch'
import type { TfcClient } from './client.js'
import { hostOf } from './errors.js'
import { discardBody } from './http.js'
import { errorMessage } from '../util/error-message.js'

/** What the archivist and the download hosts answer for an expired or unknown temporary URL. */
export const EXPIRED_URL_STATUSES = [403, 404, 410]
/** Fresh URLs asked for before giving up (they expire after a minute). */
export const MAX_TEMPORARY_URLS = 3

/** Reads a download as it streams through, and says at the end what is wrong with it, if anything. */
export interface ContentCheck extends Transform {
  problem(host: string): string | undefined
}

/** `expiredStatus` when the host refused the URL as expired: a fresh one may work. */
export type DownloadProblem = { problem: string; expiredStatus?: number }

export type SaveOutcome = { bytes: number } | DownloadProblem

/** What is done with a download's answer: saved to a file, or only its end kept, say. */
export type TakeBody<T> = (response: Response, host: string) => Promise<T | DownloadProblem>

/** GETs a temporary URL without the token, after masking it; options as for fetchExternal. */
export async function openTemporaryUrl(
  client: TfcClient,
  url: string,
  accept?: number[],
  headers?: Record<string, string>
): Promise<Response> {
  core.setSecret(url)
  return client.fetchExternal(url, {
    ...(accept !== undefined && { accept }),
    ...(headers !== undefined && { headers })
  })
}

/** GETs a temporary URL (with `headers`, never the token) and hands its answer to `take`. */
export async function takeTemporaryUrl<T>(
  client: TfcClient,
  url: string,
  take: TakeBody<T>,
  headers?: Record<string, string>
): Promise<T | DownloadProblem> {
  const host = hostOf(url)
  let response
  try {
    response = await openTemporaryUrl(client, url, EXPIRED_URL_STATUSES, headers)
  } catch (error) {
    return { problem: errorMessage(error) }
  }
  if (EXPIRED_URL_STATUSES.includes(response.status)) {
    discardBody(response)
    return {
      problem: `${host} refused the temporary URL (HTTP ${response.status}); it may have expired`,
      expiredStatus: response.status
    }
  }
  return take(response, host)
}

/** Streams a temporary URL to `destination` (via a `.part` file) and checks it is complete. */
export function saveTemporaryUrl(
  client: TfcClient,
  url: string,
  destination: string,
  check?: ContentCheck
): Promise<SaveOutcome> {
  return takeTemporaryUrl(client, url, (response, host) =>
    saveBody(response, destination, host, check)
  )
}

/** The length an answer declares for its body; undefined when it is compressed or not declared. */
export function declaredLength(response: Response): number | undefined {
  // Compressed answers are checked by the decompressor; their Content-Length is not ours.
  if (response.headers.get('content-encoding')) return undefined
  const declared = response.headers.get('content-length')
  return declared == null ? undefined : Number(declared)
}

/** Streams an answer's body to `destination` (via a `.part` file) and checks it is complete. */
export async function saveBody(
  response: Response,
  destination: string,
  host: string,
  check?: ContentCheck
): Promise<SaveOutcome> {
  const partial = `${destination}.part`
  const counter = new ByteCounter()
  try {
    if (response.body === null) throw new Error('the answer has no body')
    await pipeline(response.body, counter, check ?? new PassThrough(), createWriteStream(partial))
  } catch (error) {
    await rm(partial, { force: true })
    return { problem: `the download from ${host} broke off (${errorMessage(error)})` }
  }

  const declared = declaredLength(response)
  const problem =
    declared !== undefined && declared !== counter.bytes
      ? `the download from ${host} was cut short (${counter.bytes} of ${declared} bytes)`
      : check?.problem(host)
  if (problem !== undefined) {
    await rm(partial, { force: true })
    return { problem }
  }
  await rename(partial, destination)
  return { bytes: counter.bytes }
}

class ByteCounter extends Transform {
  bytes = 0

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length
    done(null, chunk)
  }
}
