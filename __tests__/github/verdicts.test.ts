// The override readers against the GitHub simulator: faults fail closed, with a warning that names
// what the token lacks; retried server errors still read the verdicts.
import { afterEach, describe, expect, it } from '@jest/globals'
import { serverError, startGitHubSimulator } from '../../test/sim/github.mjs'
import type { GitHubSimulator } from '../../test/sim/github.mjs'
import { createGitHubClient } from '../../src/publish/github.js'
import { readWaiver } from '../../src/github/verdicts.js'
import type { OverrideSettings } from '../../src/gates/overrides.js'
import { syncLabels } from '../../src/publish/labels.js'

const HEAD = 'c'.repeat(40)
const LOCATION = { owner: 'octo-org', repo: 'infra', number: 1 }
const SETTINGS: OverrideSettings = {
  approvers: [{ kind: 'user', login: 'alice' }],
  label: 'allow',
  waivable: ['destroy']
}
let sim: GitHubSimulator | undefined

afterEach(async () => {
  await sim?.close()
  sim = undefined
})

async function start(): Promise<GitHubSimulator> {
  sim = await startGitHubSimulator({ pullRequests: [{ number: 1, headSha: HEAD }] })
  return sim
}

function client(target: GitHubSimulator) {
  return createGitHubClient({ token: 'ghs_workflow', baseUrl: target.url, waitUnitMs: 1 })
}

describe('readWaiver', () => {
  it('reads an approval through a retried server error', async () => {
    const target = await start()
    target.verdicts.addReview(1, { user: 'alice', state: 'APPROVED' })
    target.faults.push(serverError({ match: req => req.path.endsWith('/reviews') }))

    const reading = await readWaiver(client(target), LOCATION, SETTINGS)

    expect(reading).toEqual({
      waiver: { by: 'alice', how: 'approval', commit: HEAD },
      warnings: []
    })
  })

  it('fails closed with the permission named when the reviews may not be read', async () => {
    const target = await start()
    target.verdicts.addReview(1, { user: 'alice', state: 'APPROVED' })
    target.faults.push({
      status: 403,
      match: req => req.path.endsWith('/reviews'),
      body: { message: 'Resource not accessible by integration' }
    })

    const reading = await readWaiver(client(target), LOCATION, SETTINGS)

    expect(reading.waiver).toBeUndefined()
    expect(reading.warnings.join('\n')).toMatch(/no tripped gate is waived.*pull-requests: read/)
  })

  it('counts the label only by a listed approver when approvers are listed, a writer or not', async () => {
    const target = await start()
    target.verdicts.setRole('dave', 'admin')
    target.verdicts.addLabel(1, 'allow', 'dave')
    const byWriter = await readWaiver(client(target), LOCATION, SETTINGS)
    target.verdicts.removeLabel(1, 'allow', 'dave')
    target.verdicts.addLabel(1, 'allow', 'alice')
    const byApprover = await readWaiver(client(target), LOCATION, SETTINGS)

    expect(byWriter).toEqual({ warnings: [] })
    expect(byApprover.waiver).toEqual({ by: 'alice', how: 'label', label: 'allow' })
    expect(target.requests.some(req => req.path.includes('/collaborators/'))).toBe(false)
  })

  it('asks nothing about people who cannot waive anyway', async () => {
    const target = await start()
    target.verdicts.addReview(1, { user: 'octocat', state: 'APPROVED' })

    const reading = await readWaiver(client(target), LOCATION, {
      ...SETTINGS,
      approvers: [{ kind: 'team', org: 'octo-org', slug: 'platform' }]
    })

    expect(reading).toEqual({ warnings: [] })
    expect(target.requests.some(req => req.path.includes('/teams/'))).toBe(false)
  })
})

describe('syncLabels', () => {
  it('leaves the labels alone once the head moved past the plan', async () => {
    const target = await start()

    const warnings = await syncLabels(client(target), {
      ...LOCATION,
      prefix: 'terraform:',
      wanted: ['destroy'],
      commitSha: 'd'.repeat(40)
    })

    expect(warnings.join('\n')).toContain('the plan for ddddddd is outdated')
    expect(target.requests.filter(req => req.method !== 'GET')).toEqual([])
  })

  it('takes a label a sibling job created meanwhile (422) as created', async () => {
    const target = await start()
    target.faults.push({
      status: 422,
      match: req => req.method === 'POST' && req.path.endsWith('/infra/labels'),
      body: { message: 'Validation Failed', errors: [{ code: 'already_exists' }] }
    })

    const warnings = await syncLabels(client(target), {
      ...LOCATION,
      prefix: 'tf/',
      wanted: ['drift']
    })

    expect(warnings).toEqual([])
    expect(target.verdicts.events.map(event => `${event.event} ${event.label}`)).toEqual([
      'labeled tf/drift'
    ])
  })
})
