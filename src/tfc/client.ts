// The one HTTP client for HCP Terraform / TFE. The token goes to the API origin only.
import type { Response } from 'node-fetch'

export interface ApiRequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  query?: Record<string, string | number>
  body?: unknown
  /** Statuses returned to the caller instead of thrown (e.g. [204, 307, 404]). */
  accept?: number[]
}

export interface ApiResponse<T> {
  status: number
  /** Parsed JSON body; undefined for empty bodies (204, 307). */
  body: T | undefined
  /** Absolute `Location` for redirects (never followed automatically). */
  location?: string
}

export interface TfcClient {
  /** Origin of the API, e.g. https://app.terraform.io */
  readonly origin: string
  /** Call `/api/v2<path>` with the token; retries 429/5xx/transport errors; throws TfcApiError otherwise. */
  api<T = unknown>(path: string, options?: ApiRequestOptions): Promise<ApiResponse<T>>
  /** GET an absolute URL that carries its own secret (archivist, log-read-url, downloads): never sends the token. */
  fetchExternal(url: string, options?: { accept?: number[] }): Promise<Response>
}
