import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import {
  primaryRateLimit,
  secondaryRateLimit,
  serverError,
  startGitHubSimulator
} from '../../test/sim/github.mjs'
import type { GitHubSimulator, SimOptions } from '../../test/sim/github.mjs'
import { createGitHubClient } from '../../src/publish/github.js'
import type { GitHubClientOptions } from '../../src/publish/github.js'
import { captureStdout } from '../helpers/capture-stdout.js'

let sim: GitHubSimulator | undefined
let stdout: string[]

beforeEach(() => {
  // @actions/core writes warnings as workflow commands on stdout.
  stdout = captureStdout()
})

afterEach(async () => {
  jest.restoreAllMocks()
  await sim?.close()
  sim = undefined
})

async function start(options?: SimOptions): Promise<GitHubSimulator> {
  sim = await startGitHubSimulator(options)
  return sim
}

function client(target: GitHubSimulator, options: Partial<GitHubClientOptions> = {}) {
  return createGitHubClient({ token: 'ghs_secret', baseUrl: target.url, waitUnitMs: 1, ...options })
}

const getPull = (target: GitHubSimulator, options?: Partial<GitHubClientOptions>) =>
  client(target, options).rest.pulls.get({ owner: 'octo-org', repo: 'infra', pull_number: 1 })

const warnings = () => stdout.filter(line => line.startsWith('::warning::'))

describe('createGitHubClient', () => {
  it('sends the token and reaches a GHES API under a path prefix', async () => {
    const target = await start({ pathPrefix: '/api/v3' })
    const { data } = await getPull(target)
    expect(data.number).toBe(1)
    expect(target.requests).toHaveLength(1)
    expect(target.requests[0]).toMatchObject({
      path: '/api/v3/repos/octo-org/infra/pulls/1',
      token: 'ghs_secret',
      headers: { authorization: 'token ghs_secret' }
    })
  })

  it('follows pagination links under a path prefix', async () => {
    const target = await start({ pathPrefix: '/api/v3' })
    for (let i = 0; i < 205; i++) target.addComment(1, `c${i}`)
    const github = client(target)
    const all = await github.paginate(github.rest.issues.listComments, {
      owner: 'octo-org',
      repo: 'infra',
      issue_number: 1,
      per_page: 100
    })
    expect(all.map(c => c.body)).toEqual(target.comments.map(c => c.body))
    expect(target.requests.map(r => r.query.page ?? '1')).toEqual(['1', '2', '3'])
  })

  it('retries server errors and succeeds', async () => {
    const target = await start()
    target.faults.push(serverError({ status: 502 }), serverError({ status: 503 }))
    const { data } = await getPull(target)
    expect(data.head.sha).toMatch(/^[0-9a-f]{40}$/)
    expect(target.requests.map(r => r.status)).toEqual([502, 503, 200])
  })

  it('gives up on server errors after the configured number of retries', async () => {
    const target = await start()
    target.faults.push(serverError({ status: 500, times: 10 }))
    await expect(getPull(target, { retries: 2 })).rejects.toMatchObject({ status: 500 })
    expect(target.requests).toHaveLength(3)
  })

  it('does not retry client errors', async () => {
    const target = await start()
    await expect(
      client(target).rest.pulls.get({ owner: 'octo-org', repo: 'infra', pull_number: 9 })
    ).rejects.toMatchObject({ status: 404 })
    expect(target.requests).toHaveLength(1)
  })

  it('waits out a secondary rate limit for as long as retry-after says, with a warning', async () => {
    const target = await start()
    target.faults.push(secondaryRateLimit({ retryAfter: 5 }))
    const started = Date.now()
    await getPull(target, { waitUnitMs: 40 })
    expect(Date.now() - started).toBeGreaterThanOrEqual(5 * 40)
    expect(target.requests.map(r => r.status)).toEqual([403, 200])
    expect(warnings()).toEqual([
      expect.stringMatching(
        /secondary rate limit hit by GET \/repos\/{owner}\/{repo}\/pulls\/{pull_number}; retrying in 5s\./
      )
    ])
  })

  it('retries a 429 secondary rate limit', async () => {
    const target = await start()
    target.faults.push(secondaryRateLimit({ status: 429, times: 2 }))
    await getPull(target)
    expect(target.requests.map(r => r.status)).toEqual([429, 429, 200])
  })

  it('stops after three retries of a 429 too, without retrying the retries', async () => {
    const target = await start()
    target.faults.push(secondaryRateLimit({ status: 429, times: 100 }))
    await expect(getPull(target)).rejects.toMatchObject({ status: 429 })
    expect(target.requests).toHaveLength(4)
  })

  it('stops after three rate-limit retries', async () => {
    const target = await start()
    target.faults.push(secondaryRateLimit({ times: 10 }))
    await expect(getPull(target)).rejects.toMatchObject({ status: 403 })
    expect(target.requests).toHaveLength(4)
    expect(warnings().at(-1)).toMatch(/giving up/)
  })

  it('does not wait when the rate limit asks for more than a minute', async () => {
    const target = await start()
    target.faults.push(secondaryRateLimit({ retryAfter: 3600 }))
    await expect(getPull(target)).rejects.toMatchObject({ status: 403 })
    expect(target.requests).toHaveLength(1)
  })

  it('waits for the primary rate limit to reset', async () => {
    const target = await start()
    target.faults.push(primaryRateLimit({ resetInSeconds: 1 }))
    await getPull(target)
    expect(target.requests.map(r => r.status)).toEqual([403, 200])
    expect(warnings()).toEqual([expect.stringMatching(/GitHub rate limit hit/)])
  })
})
