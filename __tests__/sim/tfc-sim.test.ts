// The HCP Terraform simulator answers as HashiCorp's API documentation describes: the e2e tests are
// only as good as this stand-in.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import fetch from 'node-fetch'
import type { Response } from 'node-fetch'
import { fault, on, startTfcSimulator } from '../../test/sim/tfc.mjs'
import type { RunSpec, TfcSimulator } from '../../test/sim/tfc.mjs'

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/e2e')
const CHANGES_PLAN = path.join(FIXTURES, 'plan-changes.json')
const changesPlan = JSON.parse(readFileSync(CHANGES_PLAN, 'utf8'))

let sim: TfcSimulator

beforeEach(async () => {
  sim = await startTfcSimulator()
})
afterEach(async () => {
  await sim.close()
})

interface CallOptions {
  token?: string | null
  method?: string
  body?: unknown
}

function call(pathAndQuery: string, options: CallOptions = {}): Promise<Response> {
  const token = options.token === undefined ? sim.tokens.admin : options.token
  return fetch(`${sim.url}${pathAndQuery}`, {
    method: options.method ?? 'GET',
    redirect: 'manual',
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(options.body === undefined ? {} : { 'content-type': 'application/vnd.api+json' })
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body)
  })
}

// JSON:API documents are read loosely: the assertions say what must be in them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any

function parsed(response: Response): Promise<Doc> {
  return response.json()
}

async function json(pathAndQuery: string, options?: CallOptions): Promise<Doc> {
  const response = await call(pathAndQuery, options)
  expect(response.headers.get('content-type')).toBe('application/vnd.api+json')
  return parsed(response)
}

function postExport(body: unknown): Promise<Response> {
  return call('/api/v2/plan-exports', { method: 'POST', body })
}

function addRun(spec: Partial<RunSpec> = {}) {
  return sim.addRun({ workspace: 'network', organization: 'acme', planJson: CHANGES_PLAN, ...spec })
}

function exportRequest(planId: string) {
  return {
    data: {
      type: 'plan-exports',
      attributes: { 'data-type': 'sentinel-mock-bundle-v0' },
      relationships: { plan: { data: { type: 'plans', id: planId } } }
    }
  }
}

function tarEntryNames(gzipped: Buffer): string[] {
  const tar = gunzipSync(gzipped)
  const names: string[] = []
  for (let offset = 0; offset + 512 <= tar.length;) {
    const name = tar
      .subarray(offset, offset + 100)
      .toString('utf8')
      .replace(/\0.*$/s, '')
    if (name === '') break
    const size = parseInt(tar.subarray(offset + 124, offset + 136).toString('utf8'), 8)
    names.push(name)
    offset += 512 + Math.ceil(size / 512) * 512
  }
  return names
}

describe('authentication and errors', () => {
  it('answers ping with 204 and the API version', async () => {
    const response = await call('/api/v2/ping', { token: null })
    expect(response.status).toBe(204)
    expect(response.headers.get('tfp-api-version')).toBe('2.6')
  })

  it('answers 401 without a token and with a wrong one', async () => {
    const run = addRun()
    for (const token of [null, 'not-a-token']) {
      const response = await call(`/api/v2/runs/${run.id}`, { token })
      expect(response.status).toBe(401)
      expect(await parsed(response)).toEqual({ errors: [{ status: '401', title: 'unauthorized' }] })
    }
  })

  it('answers 404 JSON:API errors for unknown IDs and for runs the token may not see', async () => {
    const hidden = addRun({ tokenRole: 'none' })
    for (const id of ['run-0000000000000000', hidden.id]) {
      const response = await call(`/api/v2/runs/${id}`)
      expect(response.status).toBe(404)
      expect((await parsed(response)).errors[0].status).toBe('404')
    }
  })

  it('serves service discovery without a token', async () => {
    const response = await call('/.well-known/terraform.json', { token: null })
    expect(await parsed(response)).toMatchObject({ 'tfe.v2': '/api/v2/' })
  })
})

describe('runs and plans', () => {
  it('includes the plan and workspace and advances one status step per poll', async () => {
    const run = addRun({ statuses: ['pending', 'running', 'finished'] })
    const seen = []
    for (let poll = 0; poll < 4; poll++) {
      const doc = await json(`/api/v2/runs/${run.id}?include=plan,workspace`)
      const plan = doc.included.find((r: { type: string }) => r.type === 'plans')
      seen.push([
        doc.data.attributes.status,
        plan.attributes.status,
        plan.attributes['resource-additions']
      ])
    }
    expect(seen).toEqual([
      ['pending', 'pending', 0],
      ['planning', 'running', 0],
      ['planned_and_finished', 'finished', 4],
      ['planned_and_finished', 'finished', 4]
    ])
  })

  it('describes the plan, the workspace and the links like HCP Terraform', async () => {
    const run = addRun()
    const doc = await json(`/api/v2/runs/${run.id}?include=plan,workspace`)
    expect(doc.data.relationships.plan.data).toEqual({ id: run.planId, type: 'plans' })
    expect(doc.data.relationships.workspace.data).toEqual({
      id: run.workspace.id,
      type: 'workspaces'
    })
    const plan = doc.included.find((r: { type: string }) => r.type === 'plans')
    expect(plan.attributes).toMatchObject({
      'has-changes': true,
      'resource-additions': 4,
      'resource-changes': 1,
      'resource-destructions': 2,
      'resource-imports': 0,
      'structured-run-output-enabled': true,
      'execution-details': { mode: 'remote' }
    })
    expect(plan.attributes['status-timestamps']['finished-at']).toMatch(/^\d{4}-/)
    expect(plan.links['json-output']).toBe(`/api/v2/plans/${run.planId}/json-output`)
    expect(plan.links['json-output-redacted']).toBe(
      `/api/v2/plans/${run.planId}/json-output-redacted`
    )
    expect(new URL(plan.attributes['log-read-url']).origin).toBe(sim.archivistUrl)
    const workspace = doc.included.find((r: { type: string }) => r.type === 'workspaces')
    expect(workspace.attributes.name).toBe('network')
    expect(workspace.relationships.organization.data.id).toBe('acme')
    expect(workspace.links['self-html']).toBe('/app/acme/workspaces/network')
  })

  it('reports given counts for a run without a JSON plan, and 404 for its JSON', async () => {
    const run = sim.addRun({ workspace: 'network', counts: { add: 2, destroy: 1 } })
    const plan = (await json(`/api/v2/plans/${run.planId}`)).data.attributes
    expect(plan).toMatchObject({
      'has-changes': true,
      'resource-additions': 2,
      'resource-changes': 0,
      'resource-destructions': 1
    })
    expect((await call(`/api/v2/plans/${run.planId}/json-output`)).status).toBe(404)
  })

  it('serves the plan by ID and through its run', async () => {
    const run = addRun({ statuses: ['running', 'finished'] })
    expect((await json(`/api/v2/plans/${run.planId}`)).data.attributes.status).toBe('running')
    expect((await json(`/api/v2/runs/${run.id}/plan`)).data.attributes.status).toBe('finished')
  })

  it('keeps the run busy in post-plan stages after the plan finished', async () => {
    const run = addRun({ statuses: [{ run: 'policy_checking', plan: 'finished' }] })
    const doc = await json(`/api/v2/runs/${run.id}?include=plan`)
    expect(doc.data.attributes.status).toBe('policy_checking')
    expect(doc.included[0].attributes.status).toBe('finished')
  })

  it('advances on a time schedule', async () => {
    // A step long enough that the first answer comes within it even on a busy machine.
    const run = addRun({ statuses: ['running', 'finished'], advance: 1000 })
    expect((await json(`/api/v2/plans/${run.planId}`)).data.attributes.status).toBe('running')
    await new Promise(resolve => setTimeout(resolve, 1100))
    expect((await json(`/api/v2/plans/${run.planId}`)).data.attributes.status).toBe('finished')
  })

  it('holds a manual run until setPlanStatus', async () => {
    const run = addRun({ statuses: ['running', 'finished'], advance: 'manual' })
    await json(`/api/v2/runs/${run.id}`)
    expect((await json(`/api/v2/runs/${run.id}`)).data.attributes.status).toBe('planning')
    sim.setPlanStatus(run.planId, 'errored')
    const doc = await json(`/api/v2/runs/${run.id}?include=plan`)
    expect([doc.data.attributes.status, doc.included[0].attributes.status]).toEqual([
      'errored',
      'errored'
    ])
  })

  it('serves unknown statuses as given', async () => {
    const run = addRun({ statuses: [{ run: 'mystery_stage', plan: 'pondering' }] })
    const doc = await json(`/api/v2/runs/${run.id}?include=plan`)
    expect([doc.data.attributes.status, doc.included[0].attributes.status]).toEqual([
      'mystery_stage',
      'pondering'
    ])
  })

  it('rejects unknown includes with 400', async () => {
    const run = addRun()
    expect((await call(`/api/v2/runs/${run.id}?include=plan,bogus`)).status).toBe(400)
  })

  it('serves the structured log at the secret log-read-url without a token', async () => {
    const run = addRun()
    const log = await (await fetch(run.logUrl)).text()
    const summary = log
      .trim()
      .split('\n')
      .map(line => JSON.parse(line))
      .find(line => line.type === 'change_summary')
    expect(summary.changes).toMatchObject({ add: 4, change: 1, remove: 2 })
    expect(summary['@message']).toBe('Plan: 4 to add, 1 to change, 2 to destroy.')
  })
})

describe('JSON plan downloads', () => {
  it('answers 204 until the plan finished and once more, then 307 to the archivist', async () => {
    const run = addRun({ statuses: ['running', 'finished'] })
    const jsonOutput = `/api/v2/plans/${run.planId}/json-output`
    expect((await call(jsonOutput)).status).toBe(204)
    await call(`/api/v2/plans/${run.planId}`)
    expect((await call(jsonOutput)).status).toBe(204)
    const redirect = await call(jsonOutput)
    expect(redirect.status).toBe(307)
    const location = redirect.headers.get('location') ?? ''
    expect(new URL(location).origin).toBe(sim.archivistUrl)
    expect(new URL(location).origin).not.toBe(sim.url)
    const download = await fetch(location)
    expect(download.status).toBe(200)
    expect(await parsed(download)).toEqual(changesPlan)
    expect(sim.tokenLeaks).toEqual([])
  })

  it('serves the same plan through the run path', async () => {
    const run = addRun({ jsonOutputNotReadyPolls: 0 })
    const redirect = await call(`/api/v2/runs/${run.id}/plan/json-output`)
    expect(redirect.status).toBe(307)
    expect(await (await fetch(redirect.headers.get('location') ?? '')).json()).toEqual(changesPlan)
  })

  it('refuses archivist requests that carry a token and records the leak', async () => {
    const run = addRun({ jsonOutputNotReadyPolls: 0 })
    const location = (await call(`/api/v2/plans/${run.planId}/json-output`)).headers.get('location')
    const leaked = await fetch(location ?? '', {
      headers: { authorization: `Bearer ${sim.tokens.admin}` }
    })
    expect(leaked.status).toBe(400)
    expect(sim.tokenLeaks).toEqual([
      { url: new URL(location ?? '').pathname, authorization: `Bearer ${sim.tokens.admin}` }
    ])
  })

  it('expires archivist URLs', async () => {
    await sim.close()
    sim = await startTfcSimulator({ archivistUrlTtlMs: 20, jsonOutputNotReadyPolls: 0 })
    const run = addRun()
    const location = (await call(`/api/v2/plans/${run.planId}/json-output`)).headers.get('location')
    await new Promise(resolve => setTimeout(resolve, 40))
    expect((await fetch(location ?? '')).status).toBe(403)
  })

  it('can expire the next archivist URL on demand', async () => {
    const run = addRun({ jsonOutputNotReadyPolls: 0 })
    sim.faults.push(fault.expired(req => req.origin === sim.archivistUrl))
    const first = (await call(`/api/v2/plans/${run.planId}/json-output`)).headers.get('location')
    expect((await fetch(first ?? '')).status).toBe(403)
    const second = (await call(`/api/v2/plans/${run.planId}/json-output`)).headers.get('location')
    expect(second).not.toBe(first)
    expect((await fetch(second ?? '')).status).toBe(200)
  })

  it('answers 404 to a read token on json-output and serves it the redacted plan', async () => {
    const run = addRun({ tokenRole: 'read' })
    expect((await call(`/api/v2/plans/${run.planId}/json-output`)).status).toBe(404)
    const redacted = await call(`/api/v2/plans/${run.planId}/json-output-redacted`)
    expect(redacted.status).toBe(200)
    const text = await redacted.text()
    const doc = JSON.parse(text)
    expect(doc.plan_format_version).toBe('1.2')
    expect(doc).not.toHaveProperty('planned_values')
    expect(doc.resource_changes.map((rc: { address: string }) => rc.address)).toEqual(
      changesPlan.resource_changes.map((rc: { address: string }) => rc.address)
    )
    expect(text).not.toContain('e2e-Sensitive-Value-7781')
    expect(text).not.toContain('e2e-Sensitive-Output-5523')
    expect(doc.output_changes.db_password.after).toMatch(/^[0-9a-f]{64}$/)
  })

  it('answers 404 to a read-only token configured by token', async () => {
    const run = addRun()
    expect(
      (await call(`/api/v2/plans/${run.planId}/json-output`, { token: sim.tokens.read })).status
    ).toBe(404)
  })

  it('answers 404 on both endpoints when no redacted JSON exists and the token only reads', async () => {
    const run = addRun({ tokenRole: 'read', redactedJson: null })
    expect((await call(`/api/v2/plans/${run.planId}/json-output`)).status).toBe(404)
    expect((await call(`/api/v2/plans/${run.planId}/json-output-redacted`)).status).toBe(404)
  })

  it('answers 422 for plans made by Terraform before 0.12', async () => {
    const run = addRun({ terraformVersion: '0.11.14' })
    expect((await call(`/api/v2/plans/${run.planId}/json-output`)).status).toBe(422)
  })
})

describe('run and workspace lists', () => {
  function seedRuns() {
    sim.addWorkspace({ name: 'network', organization: 'acme' })
    sim.addWorkspace({ name: 'app-prod', organization: 'acme' })
    const older = addRun({
      commitSha: 'c1',
      createdAt: '2024-01-01T00:00:00Z',
      pullRequestNumber: 7
    })
    const newer = addRun({ commitSha: 'c1', createdAt: '2024-01-02T00:00:00Z' })
    const awaitingApply = addRun({
      operation: 'plan_and_apply',
      commitSha: 'c2',
      createdAt: '2024-01-03T00:00:00Z'
    })
    const app = addRun({
      workspace: 'app-prod',
      commitSha: 'c1',
      createdAt: '2024-01-04T00:00:00Z'
    })
    return { older, newer, awaitingApply, app }
  }

  const ids = (doc: { data: { id: string }[] }) => doc.data.map(run => run.id)

  it('leaves plan_only runs out unless filter[operation] names them, newest first', async () => {
    const { older, newer, awaitingApply } = seedRuns()
    const workspaceId = older.workspace.id
    expect(ids(await json(`/api/v2/workspaces/${workspaceId}/runs`))).toEqual([awaitingApply.id])
    const planOnly = await json(
      `/api/v2/workspaces/${workspaceId}/runs?filter[operation]=plan_only`
    )
    expect(ids(planOnly)).toEqual([newer.id, older.id])
  })

  it('filters organization runs by workspace names, commit and status', async () => {
    const { older, newer, awaitingApply, app } = seedRuns()
    const base = '/api/v2/organizations/acme/runs?filter[operation]=plan_only,plan_and_apply'
    expect(ids(await json(`${base}&search[commit]=c1`))).toEqual([app.id, newer.id, older.id])
    expect(ids(await json(`${base}&search[commit]=c1&filter[workspace_names]=network`))).toEqual([
      newer.id,
      older.id
    ])
    expect(ids(await json(`${base}&filter[status]=errored`))).toEqual([])
    expect(ids(await json(`${base}&filter[status_group]=final&search[basic]=${older.id}`))).toEqual(
      [older.id]
    )
    // A plan_and_apply run with changes waits for confirmation: not final, discardable.
    expect(ids(await json(`${base}&filter[status_group]=non_final`))).toEqual([awaitingApply.id])
    expect(ids(await json(`${base}&filter[status_group]=discardable`))).toEqual([awaitingApply.id])
  })

  it('paginates with meta.pagination and links.next', async () => {
    for (let i = 0; i < 25; i++) addRun({ operation: 'plan_and_apply' })
    const first = await json('/api/v2/organizations/acme/runs?page[size]=10')
    expect(first.data).toHaveLength(10)
    expect(first.meta.pagination).toMatchObject({
      'current-page': 1,
      'next-page': 2,
      'total-pages': 3,
      'total-count': 25
    })
    const next = new URL(first.links.next)
    expect(next.origin).toBe(sim.url)
    const last = await json(
      `${next.pathname}${next.search.replace('page%5Bnumber%5D=2', 'page%5Bnumber%5D=3')}`
    )
    expect(last.data).toHaveLength(5)
    expect(last.links.next).toBeNull()
    const capped = await json('/api/v2/organizations/acme/runs?page[size]=500')
    expect(capped.meta.pagination['page-size']).toBe(100)
  })

  it('counts run-list requests and answers 429 past 30 a minute when asked to', async () => {
    await sim.close()
    sim = await startTfcSimulator({ listRateLimit: true })
    addRun()
    const statuses = []
    for (let i = 0; i < 31; i++)
      statuses.push((await call('/api/v2/organizations/acme/runs')).status)
    expect(statuses.slice(0, 30).every(status => status === 200)).toBe(true)
    const limited = await call('/api/v2/organizations/acme/runs')
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThan(0)
    expect(sim.listRequestCount()).toBe(32)
  })

  it('answers 429 past 30 API requests a second per token, refused ones counted too', async () => {
    await sim.close()
    sim = await startTfcSimulator({ requestRateLimit: true })
    const run = addRun()
    const statuses = await Promise.all(
      Array.from({ length: 34 }, async () => (await call(`/api/v2/runs/${run.id}`)).status)
    )
    expect(statuses.filter(status => status === 200)).toHaveLength(30)
    const limited = await call(`/api/v2/runs/${run.id}`)
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThan(0)
    // Another token has a budget of its own.
    expect((await call(`/api/v2/runs/${run.id}`, { token: sim.tokens.read })).status).toBe(200)
    expect(sim.requests.filter(request => request.status === 429).length).toBe(5)
  })

  it('includes the plan and the commit in run lists, and a list is a poll of the runs it shows', async () => {
    const run = addRun({ commitSha: 'c1', statuses: ['running', 'finished'] })
    const query =
      'filter[operation]=plan_only&include=plan,configuration_version.ingress_attributes'
    const first = await json(`/api/v2/organizations/acme/runs?${query}`)
    const included = (doc: Doc, type: string) =>
      doc.included.filter((resource: { type: string }) => resource.type === type)
    expect(included(first, 'plans').map((plan: Doc) => [plan.id, plan.attributes.status])).toEqual([
      [run.planId, 'running']
    ])
    expect(included(first, 'ingress-attributes')[0].attributes['commit-sha']).toBe('c1')
    const second = await json(`/api/v2/organizations/acme/runs?${query}`)
    expect(included(second, 'plans')[0].attributes.status).toBe('finished')
  })

  it('answers 404 to the organization run list as an older TFE without it', async () => {
    await sim.close()
    sim = await startTfcSimulator({ organizationRunList: false })
    const run = addRun()
    expect((await call('/api/v2/organizations/acme/runs')).status).toBe(404)
    const listed = await json(
      `/api/v2/workspaces/${run.workspace.id}/runs?filter[operation]=plan_only`
    )
    expect(ids(listed)).toEqual([run.id])
  })

  it('lists workspaces by name, wildcard and page, and shows one by name', async () => {
    for (const name of ['app-prod', 'app-staging', 'network', 'db-prod']) {
      sim.addWorkspace({ name, organization: 'acme' })
    }
    const names = (doc: { data: { attributes: { name: string } }[] }) =>
      doc.data.map(ws => ws.attributes.name)
    expect(
      names(await json('/api/v2/organizations/acme/workspaces?search[wildcard-name]=*-prod'))
    ).toEqual(['app-prod', 'db-prod'])
    expect(names(await json('/api/v2/organizations/acme/workspaces?search[name]=app'))).toEqual([
      'app-prod',
      'app-staging'
    ])
    const page = await json('/api/v2/organizations/acme/workspaces?page[size]=3&page[number]=2')
    expect(names(page)).toEqual(['network'])
    const one = await json('/api/v2/organizations/acme/workspaces/network')
    expect(one.data.attributes.name).toBe('network')
    expect((await call('/api/v2/organizations/nobody/workspaces')).status).toBe(404)
  })

  it('serves VCS ingress attributes directly and as a run include', async () => {
    const run = addRun({ commitSha: 'abc123', pullRequestNumber: 7, branch: 'feature/x' })
    const doc = await json(
      `/api/v2/runs/${run.id}?include=configuration_version.ingress_attributes`
    )
    const ingress = doc.included.find((r: { type: string }) => r.type === 'ingress-attributes')
    expect(ingress.attributes).toMatchObject({
      'commit-sha': 'abc123',
      branch: 'feature/x',
      'is-pull-request': true,
      'pull-request-number': 7,
      identifier: 'octo/infra'
    })
    const direct = await json(
      `/api/v2/configuration-versions/${run.configurationVersionId}/ingress-attributes`
    )
    expect(direct.data.attributes['commit-sha']).toBe('abc123')
  })
})

describe('plan exports', () => {
  it('creates, progresses, downloads and deletes a Sentinel mock bundle', async () => {
    const run = addRun()
    const created = await postExport(exportRequest(run.planId))
    expect(created.status).toBe(201)
    const exportId = (await parsed(created)).data.id
    expect(exportId).toMatch(/^pe-[A-Za-z0-9]{16}$/)
    const statuses = []
    for (let i = 0; i < 3; i++) {
      statuses.push((await json(`/api/v2/plan-exports/${exportId}`)).data.attributes.status)
    }
    expect(statuses).toEqual(['pending', 'queued', 'finished'])
    const download = await call(`/api/v2/plan-exports/${exportId}/download`)
    expect(download.status).toBe(302)
    const location = download.headers.get('location') ?? ''
    expect(new URL(location).pathname).toMatch(/\.tar\.gz$/)
    const bundle = Buffer.from(await (await fetch(location)).arrayBuffer())
    expect(tarEntryNames(bundle).sort()).toEqual([
      'mock-tfconfig-v2.sentinel',
      'mock-tfplan-v2.sentinel',
      'mock-tfrun.sentinel',
      'mock-tfstate-v2.sentinel',
      'sentinel.hcl'
    ])
    expect((await call(`/api/v2/plan-exports/${exportId}`, { method: 'DELETE' })).status).toBe(204)
    expect((await call(`/api/v2/plan-exports/${exportId}`)).status).toBe(404)
  })

  it('answers 422 to a second export of the same plan and lists the first on the plan', async () => {
    const run = addRun()
    const first = await parsed(await postExport(exportRequest(run.planId)))
    const second = await postExport(exportRequest(run.planId))
    expect(second.status).toBe(422)
    const plan = await json(`/api/v2/plans/${run.planId}`)
    expect(plan.data.relationships.exports.data).toEqual([
      { id: first.data.id, type: 'plan-exports' }
    ])
  })

  it('follows a configured failing progression and refuses the download', async () => {
    const run = addRun({ exportStatuses: ['pending', 'errored'] })
    const created = await parsed(await postExport(exportRequest(run.planId)))
    await json(`/api/v2/plan-exports/${created.data.id}`)
    expect((await json(`/api/v2/plan-exports/${created.data.id}`)).data.attributes.status).toBe(
      'errored'
    )
    expect((await call(`/api/v2/plan-exports/${created.data.id}/download`)).status).toBe(404)
  })

  it('answers 404 for an unknown plan and 422 for a malformed request', async () => {
    const unknown = await postExport(exportRequest('plan-0000000000000000'))
    expect(unknown.status).toBe(404)
    const malformed = await postExport({ data: { type: 'plans' } })
    expect(malformed.status).toBe(422)
  })
})

describe('faults', () => {
  it('answers 429 with a decimal X-RateLimit-Reset, then normally', async () => {
    const run = addRun()
    sim.faults.push(fault.rateLimit(on('GET', '/api/v2/runs/:id')))
    const limited = await call(`/api/v2/runs/${run.id}`)
    expect(limited.status).toBe(429)
    expect(limited.headers.get('x-ratelimit-reset')).toBe('0.5')
    expect((await parsed(limited)).errors[0].status).toBe(429)
    expect((await call(`/api/v2/runs/${run.id}`)).status).toBe(200)
  })

  it('fails the given number of times only', async () => {
    const run = addRun()
    sim.faults.push(fault.serverError(on('GET', '/api/v2/runs/:id'), { times: 2 }))
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push((await call(`/api/v2/runs/${run.id}`)).status)
    expect(statuses).toEqual([503, 503, 200])
    expect(sim.faults).toEqual([])
  })

  it('serves HTML error pages and malformed JSON', async () => {
    const run = addRun()
    sim.faults.push(fault.htmlError(on('GET', '/api/v2/runs/:id')))
    sim.faults.push(fault.malformedJson(on('GET', '/api/v2/runs/:id')))
    const html = await call(`/api/v2/runs/${run.id}`)
    expect([html.status, html.headers.get('content-type')]).toEqual([502, 'text/html'])
    const malformed = await call(`/api/v2/runs/${run.id}`)
    expect(malformed.status).toBe(200)
    await expect(malformed.json()).rejects.toThrow()
  })

  it('resets connections and truncates downloads', async () => {
    const run = addRun({ jsonOutputNotReadyPolls: 0 })
    sim.faults.push(fault.resetConnection(on('GET', '/api/v2/runs/:id')))
    await expect(call(`/api/v2/runs/${run.id}`)).rejects.toThrow()
    const location =
      (await call(`/api/v2/plans/${run.planId}/json-output`)).headers.get('location') ?? ''
    sim.faults.push(fault.truncate(req => req.origin === sim.archivistUrl))
    const truncated = await fetch(location)
    expect(Number(truncated.headers.get('content-length'))).toBe(readFileSync(CHANGES_PLAN).length)
    await expect(truncated.text()).rejects.toThrow()
  })

  it('delays slow responses beyond a client timeout', async () => {
    const run = addRun()
    sim.faults.push(fault.slow(on('GET', '/api/v2/runs/:id'), { delayMs: 500 }))
    const started = Date.now()
    await expect(
      fetch(`${sim.url}/api/v2/runs/${run.id}`, {
        headers: { authorization: `Bearer ${sim.tokens.admin}` },
        signal: AbortSignal.timeout(100)
      })
    ).rejects.toThrow()
    expect(Date.now() - started).toBeLessThan(400)
  })
})

describe('bookkeeping', () => {
  it('records every request with origin, method, path, query and headers', async () => {
    const run = addRun({ jsonOutputNotReadyPolls: 0 })
    const location = (await call(`/api/v2/plans/${run.planId}/json-output?x=1`)).headers.get(
      'location'
    )
    await fetch(location ?? '')
    expect(sim.requests.map(r => [r.origin, r.method])).toEqual([
      [sim.url, 'GET'],
      [sim.archivistUrl, 'GET']
    ])
    expect(sim.requests[0]).toMatchObject({
      path: `/api/v2/plans/${run.planId}/json-output`,
      query: { x: '1' },
      headers: { authorization: `Bearer ${sim.tokens.admin}` }
    })
    expect(sim.requests[1].headers.authorization).toBeUndefined()
  })

  it('stops both servers on close', async () => {
    const run = addRun()
    await sim.close()
    await expect(call(`/api/v2/runs/${run.id}`)).rejects.toThrow()
    await expect(fetch(run.logUrl)).rejects.toThrow()
    sim = await startTfcSimulator()
  })
})
