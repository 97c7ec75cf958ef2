// The end of a download too big to want whole (the redacted plan, for the provider schemas at its
// end): asked for with an HTTP Range request, or, from a server that does not honour it, streamed
// through keeping only the last bytes, up to a limit past which it is not worth reading.
import type { Response } from 'node-fetch'
import { discardBody } from './http.js'
import { declaredLength } from './temporary-url.js'
import type { DownloadProblem } from './temporary-url.js'
import { errorMessage } from '../util/error-message.js'

export type BodyTail =
  /** The last bytes of the body; `whole` when they are all of it. */
  | { kind: 'tail'; bytes: Buffer; whole: boolean }
  /** The server would send all `totalBytes`, more than the limit: nothing was kept. */
  | { kind: 'too-large'; totalBytes: number }

export interface TailOptions {
  /** How many bytes from the end are wanted. */
  tailBytes: number
  /** A server that ignores the Range sends the whole body: read through no more than this. */
  maxWholeBytes: number
}

/** Request headers for the last `tailBytes` of a body, as stored (not compressed). */
export function tailRequestHeaders(tailBytes: number): Record<string, string> {
  return { Range: `bytes=-${tailBytes}`, 'Accept-Encoding': 'identity' }
}

const PARTIAL_CONTENT = 206

/** The tail of an answer to a request with tailRequestHeaders. */
export async function readBodyTail(
  response: Response,
  host: string,
  { tailBytes, maxWholeBytes }: TailOptions
): Promise<BodyTail | DownloadProblem> {
  const ranged = response.status === PARTIAL_CONTENT
  const range = ranged ? contentRange(response.headers.get('content-range')) : undefined
  if (ranged && range === undefined) {
    discardBody(response)
    return { problem: `${host} answered a range request without a valid Content-Range` }
  }
  const declared = declaredLength(response)
  if (!ranged && declared !== undefined && declared > maxWholeBytes) {
    discardBody(response)
    return { kind: 'too-large', totalBytes: declared }
  }
  const limit = ranged ? Number.POSITIVE_INFINITY : maxWholeBytes
  const kept: Buffer[] = []
  let keptBytes = 0
  let received = 0
  try {
    if (response.body === null) throw new Error('the answer has no body')
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      received += chunk.length
      // Leaving the loop ends the download.
      if (received > limit) return { kind: 'too-large', totalBytes: received }
      kept.push(chunk)
      keptBytes += chunk.length
      while (keptBytes - kept[0].length >= tailBytes) keptBytes -= (kept.shift() as Buffer).length
    }
  } catch (error) {
    return { problem: `the download from ${host} broke off (${errorMessage(error)})` }
  }
  const expected = range === undefined ? declared : range.end - range.start + 1
  if (expected !== undefined && expected !== received) {
    return { problem: `the download from ${host} was cut short (${received} of ${expected} bytes)` }
  }
  const bytes = Buffer.concat(kept, keptBytes)
  const tail = bytes.length > tailBytes ? bytes.subarray(bytes.length - tailBytes) : bytes
  const whole = tail.length === received && (range === undefined || range.start === 0)
  return { kind: 'tail', bytes: tail, whole }
}

/** `bytes <start>-<end>/<total or *>`. */
function contentRange(header: string | null): { start: number; end: number } | undefined {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header?.trim() ?? '')
  if (match === null) return undefined
  const [start, end] = [Number(match[1]), Number(match[2])]
  return start <= end ? { start, end } : undefined
}
