import { afterEach, describe, expect, it } from '@jest/globals'
import { setTimeout as delay } from 'node:timers/promises'
import { createTfcClient } from '../../src/tfc/client.js'
import type { TfcClient } from '../../src/tfc/client.js'
import { discoverRuns, RunDiscoveryError } from '../../src/tfc/discovery.js'
import type { DiscoveryRequest } from '../../src/tfc/discovery.js'
import { WorkspaceResolutionError } from '../../src/tfc/workspaces.js'
import { fakeClock } from '../helpers/fake-clock.js'
import { startRouteServer } from '../helpers/route-server.js'
import type { RecordedRequest, Reply, RouteServer } from '../helpers/route-server.js'

const ORG = 'acme'
const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'
const TOKEN = 'discovery-test-token'
const OTHER_SHA = 'ffffffffffffffffffffffffffffffffffffffff'

interface SimRun {
  id: string
  workspace: string
  commit: string | null
  operation: string
  createdAt: string
  /** Hidden from the first N run-list requests of its workspace (the webhook is slow). */
  hiddenForPolls?: number
}

interface SimOptions {
  workspaces: string[]
  runs?: SimRun[]
  /** Which API features the server honours; each defaults to true. */
  commitSearch?: boolean
  include?: boolean
  wildcardSearch?: boolean
  /** Milliseconds each run-list answer takes, to observe concurrency. */
  listLatencyMs?: number
  /** The organization run list (default false: an older TFE that answers 404 to it). */
  organizationList?: boolean
}

/** Just enough of HCP Terraform's workspace and run-list API, written from the API notes. */
async function startSim(options: SimOptions) {
  const workspaces = options.workspaces.map((name, index) => ({
    id: `ws-${String(index).padStart(16, '0')}`,
    name
  }))
  const runs = options.runs ?? []
  const idOf = (name: string) => workspaces.find(ws => ws.name === name)?.id
  const listPolls = new Map<string, number>()
  let inFlight = 0
  let maxInFlight = 0
  const workspaceDoc = (ws: { id: string; name: string }) => ({
    id: ws.id,
    type: 'workspaces',
    attributes: { name: ws.name }
  })
  const cvId = (run: SimRun) => `cv-${run.id.slice(4)}`
  const ingressId = (run: SimRun) => `ia-${run.id.slice(4)}`
  const ingressDoc = (run: SimRun) => ({
    id: ingressId(run),
    type: 'ingress-attributes',
    attributes: { 'commit-sha': run.commit, branch: 'feature', 'is-pull-request': true }
  })
  const paginate = <T>(items: T[], query: URLSearchParams) => {
    const size = Number(query.get('page[size]') ?? 20)
    const number = Number(query.get('page[number]') ?? 1)
    const totalPages = Math.max(1, Math.ceil(items.length / size))
    return {
      data: items.slice((number - 1) * size, number * size),
      meta: {
        pagination: {
          'current-page': number,
          'next-page': number < totalPages ? number + 1 : null,
          'total-pages': totalPages,
          'total-count': items.length
        }
      }
    }
  }

  /** A run list of one workspace or (the organization's) several; each is a poll of theirs. */
  const listRuns = async (request: RecordedRequest, workspaceIds: string[]): Promise<Reply> => {
    inFlight++
    maxInFlight = Math.max(maxInFlight, inFlight)
    if (options.listLatencyMs) await delay(options.listLatencyMs)
    inFlight--
    for (const id of workspaceIds) listPolls.set(id, (listPolls.get(id) ?? 0) + 1)
    const operations = (request.query.get('filter[operation]') ?? '').split(',')
    const commit = request.query.get('search[commit]')
    const visible = runs
      .filter(run => {
        const workspaceId = idOf(run.workspace) ?? ''
        const poll = listPolls.get(workspaceId) ?? 0
        return workspaceIds.includes(workspaceId) && poll > (run.hiddenForPolls ?? 0)
      })
      .filter(run => run.operation !== 'plan_only' || operations.includes('plan_only'))
      .filter(run => options.commitSearch === false || !commit || run.commit === commit)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    const page = paginate(
      visible.map(run => ({
        id: run.id,
        type: 'runs',
        attributes: { status: 'planning', 'created-at': run.createdAt },
        relationships: {
          workspace: { data: { id: idOf(run.workspace) ?? '', type: 'workspaces' } },
          'configuration-version': { data: { id: cvId(run), type: 'configuration-versions' } }
        }
      })),
      request.query
    )
    const pageRuns = visible.filter(run => page.data.some(doc => doc.id === run.id))
    const wantsInclude =
      options.include !== false &&
      (request.query.get('include') ?? '')
        .split(',')
        .includes('configuration_version.ingress_attributes')
    const included = pageRuns.flatMap(run => [
      {
        id: cvId(run),
        type: 'configuration-versions',
        relationships: {
          'ingress-attributes': {
            data: run.commit ? { id: ingressId(run), type: 'ingress-attributes' } : null
          }
        }
      },
      ...(run.commit ? [ingressDoc(run)] : [])
    ])
    return { status: 200, body: { ...page, ...(wantsInclude ? { included } : {}) } }
  }

  const server = await startRouteServer({
    'GET /api/v2/organizations/:org/workspaces/:name': (_request, params) => {
      const ws = workspaces.find(w => params.org === ORG && w.name === params.name)
      return ws
        ? { status: 200, body: { data: workspaceDoc(ws) } }
        : { status: 404, body: { errors: [{ status: '404', title: 'not found' }] } }
    },
    'GET /api/v2/organizations/:org/workspaces': request => {
      const search = request.query.get('search[wildcard-name]')
      const needle = search?.replaceAll('*', '')
      const listed = workspaces.filter(
        ws => options.wildcardSearch === false || !needle || ws.name.includes(needle)
      )
      return { status: 200, body: paginate(listed.map(workspaceDoc), request.query) }
    },
    'GET /api/v2/workspaces/:id/runs': (request, params) => listRuns(request, [params.id]),
    'GET /api/v2/organizations/:org/runs': request => {
      if (!options.organizationList) {
        return { status: 404, body: { errors: [{ status: '404', title: 'not found' }] } }
      }
      const names = (request.query.get('filter[workspace_names]') ?? '').split(',')
      return listRuns(
        request,
        names.flatMap(name => idOf(name) ?? [])
      )
    },
    'GET /api/v2/configuration-versions/:id/ingress-attributes': (_request, params) => {
      const run = runs.find(r => cvId(r) === params.id)
      return run?.commit
        ? { status: 200, body: { data: ingressDoc(run) } }
        : { status: 404, body: { errors: [{ status: '404', title: 'not found' }] } }
    }
  })
  return {
    server,
    workspaceId: (name: string) => idOf(name) ?? '',
    maxInFlight: () => maxInFlight
  }
}

function run(
  id: string,
  workspace: string,
  commit: string | null,
  minute: number,
  extra: Partial<SimRun> = {}
): SimRun {
  const createdAt = new Date(Date.UTC(2024, 4, 1, 12, minute)).toISOString()
  return { id, workspace, commit, operation: 'plan_only', createdAt, ...extra }
}

const isRunList = (request: RecordedRequest) =>
  /^\/api\/v2\/workspaces\/[^/]+\/runs$/.test(request.path)
const isOrganizationRunList = (request: RecordedRequest) =>
  request.path === `/api/v2/organizations/${ORG}/runs`

describe('discoverRuns', () => {
  let server: RouteServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  async function discover(
    sim: Awaited<ReturnType<typeof startSim>>,
    overrides: Partial<DiscoveryRequest> = {}
  ) {
    server = sim.server
    const time = fakeClock(1_700_000_000_000)
    const lines: string[] = []
    // The client's request budget keeps the same time as discovery.
    const clock = overrides.clock ?? time
    const client = createTfcClient({ origin: sim.server.origin, token: TOKEN, clock })
    const result = discoverRuns(client, {
      organization: ORG,
      workspaces: ['app'],
      commitSha: SHA,
      timeoutMs: 10 * 60_000,
      pollIntervalMs: 3000,
      clock: time,
      log: line => lines.push(line),
      ...overrides
    })
    return { result, time, lines }
  }

  it('waits for a run that appears after a few polls, asking for plan_only runs of the commit', async () => {
    const sim = await startSim({
      workspaces: ['app'],
      runs: [run('run-late000000000001', 'app', SHA, 5, { hiddenForPolls: 3 })]
    })
    const { result, time, lines } = await discover(sim)
    await expect(result).resolves.toEqual([
      { workspace: 'app', workspaceId: sim.workspaceId('app'), runId: 'run-late000000000001' }
    ])
    const lists = sim.server.requests.filter(isRunList)
    expect(lists).toHaveLength(4)
    expect(time.sleeps).toEqual([3000, 3000, 3000])
    for (const list of lists) {
      expect(list.query.get('filter[operation]')?.split(',')).toEqual(
        expect.arrayContaining(['plan_only', 'plan_and_apply'])
      )
      expect(list.query.get('search[commit]')).toBe(SHA)
      expect(list.query.get('page[size]')).toBe('20')
    }
    expect(lines.some(line => line.includes('run-late000000000001'))).toBe(true)
  })

  it('finds a plan_only run only because filter[operation] names it', async () => {
    const sim = await startSim({
      workspaces: ['app'],
      runs: [run('run-speculative00001', 'app', SHA, 1)]
    })
    const { result } = await discover(sim)
    await expect(result).resolves.toMatchObject([{ runId: 'run-speculative00001' }])
  })

  it.each([true, false])(
    'takes the newest run for the commit and ignores other commits (server honours search[commit]: %s)',
    async commitSearch => {
      const ws = 'app'
      const sim = await startSim({
        commitSearch,
        workspaces: ['app'],
        runs: [
          run('run-oldsamecommit001', ws, SHA, 1),
          run('run-newestsamecomm01', ws, SHA, 3, { operation: 'plan_and_apply' }),
          run('run-oldersamecommit1', ws, SHA, 2),
          run('run-othercommitnewer', ws, OTHER_SHA, 9),
          run('run-noingressatall01', ws, null, 8)
        ]
      })
      const { result } = await discover(sim)
      await expect(result).resolves.toMatchObject([{ runId: 'run-newestsamecomm01' }])
    }
  )

  it('follows run-list pages when the server ignores search[commit]', async () => {
    const ws = 'app'
    const newerRuns = Array.from({ length: 25 }, (_, i) =>
      run(`run-other${String(i).padStart(11, '0')}`, ws, OTHER_SHA, 10 + i)
    )
    const sim = await startSim({
      commitSearch: false,
      workspaces: ['app'],
      runs: [...newerRuns, run('run-onsecondpage0001', ws, SHA, 5)]
    })
    const { result } = await discover(sim)
    await expect(result).resolves.toMatchObject([{ runId: 'run-onsecondpage0001' }])
    const pages = sim.server.requests.filter(isRunList).map(r => r.query.get('page[number]'))
    expect(pages).toEqual(['1', '2'])
  })

  it('reads the ingress attributes per configuration version when the server ignores include', async () => {
    const ws = 'app'
    const sim = await startSim({
      include: false,
      commitSearch: false,
      workspaces: ['app'],
      runs: [
        run('run-othercommit00001', ws, OTHER_SHA, 4),
        run('run-ourcommit0000001', ws, SHA, 6, { hiddenForPolls: 2 })
      ]
    })
    const { result } = await discover(sim)
    await expect(result).resolves.toMatchObject([{ runId: 'run-ourcommit0000001' }])
    const ingressPaths = sim.server.requests
      .filter(r => r.path.endsWith('/ingress-attributes'))
      .map(r => r.path)
    // Three polls, but each configuration version's commit is asked for once.
    expect(ingressPaths.sort()).toEqual([
      '/api/v2/configuration-versions/cv-othercommit00001/ingress-attributes',
      '/api/v2/configuration-versions/cv-ourcommit0000001/ingress-attributes'
    ])
  })

  it('explains which workspace and commit got no run, and why that may be', async () => {
    const sim = await startSim({
      workspaces: ['app', 'network'],
      runs: [run('run-apponly00000001', 'app', SHA, 1)]
    })
    const { result, time } = await discover(sim, {
      workspaces: ['app', 'network'],
      timeoutMs: 120_000
    })
    const error = await result.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RunDiscoveryError)
    const { message, missing } = error as RunDiscoveryError
    expect(missing).toEqual(['network'])
    expect(message).toContain('"network"')
    expect(message).not.toContain('"app"')
    expect(message).toContain(SHA)
    for (const reason of ['VCS', 'trigger', 'fork', 'wait-timeout']) {
      expect(message).toContain(reason)
    }
    expect(time.now() - 1_700_000_000_000).toBe(120_000)
  })

  it.each([true, false])(
    'expands app-* to the matching workspaces sorted by name (server wildcard search: %s)',
    async wildcardSearch => {
      // More than one page of 100 so that a server without wildcard search must be paginated.
      const filler = Array.from({ length: 120 }, (_, i) => `svc-${String(i).padStart(3, '0')}`)
      const names = ['app-web', 'zeta', ...filler, 'app-api', 'application', 'my-app-x', 'app-db']
      const runs = ['app-web', 'zeta', 'app-api', 'app-db'].map((name, i) =>
        run(`run-${name.padEnd(16, '0')}`, name, SHA, i)
      )
      const sim = await startSim({ wildcardSearch, workspaces: names, runs })
      const { result } = await discover(sim, { workspaces: ['zeta', 'app-*', 'app-web'] })
      const found = await result
      expect(found.map(r => r.workspace)).toEqual(['zeta', 'app-api', 'app-db', 'app-web'])
      expect(found.map(r => r.runId)).toEqual([
        'run-zeta000000000000',
        'run-app-api000000000',
        'run-app-db0000000000',
        'run-app-web000000000'
      ])
      const listRequests = sim.server.requests.filter(
        r => r.path === `/api/v2/organizations/${ORG}/workspaces`
      )
      expect(listRequests[0].query.get('search[wildcard-name]')).toBe('app-*')
      expect(listRequests.length).toBe(wildcardSearch ? 1 : 2)
    }
  )

  it('matches a wildcard in the middle locally, without the server search', async () => {
    const names = ['app-eu-prod', 'app-us-prod', 'app-us-dev', 'app-prod']
    const runs = names.map((name, i) => run(`run-${name.padEnd(16, '0')}`, name, SHA, i))
    const sim = await startSim({ workspaces: names, runs })
    const { result } = await discover(sim, { workspaces: ['app-*-prod'] })
    expect((await result).map(r => r.workspace)).toEqual(['app-eu-prod', 'app-us-prod'])
    const list = sim.server.requests.find(r => r.path.endsWith('/workspaces'))
    expect(list?.query.has('search[wildcard-name]')).toBe(false)
  })

  it('names every pattern or workspace that resolves to nothing', async () => {
    const sim = await startSim({ workspaces: ['app-web'] })
    const { result } = await discover(sim, { workspaces: ['app-*', 'db-*', 'missing'] })
    const error = await result.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WorkspaceResolutionError)
    expect((error as Error).message).toContain('"db-*"')
    expect((error as Error).message).toContain('"missing"')
    expect((error as Error).message).not.toContain('"app-*"')
    expect(sim.server.requests.filter(isRunList)).toHaveLength(0)
  })

  it('looks up three workspaces concurrently and returns them in input order', async () => {
    const names = ['network', 'app', 'database']
    const sim = await startSim({
      workspaces: names,
      listLatencyMs: 20,
      runs: [
        run('run-network000000001', 'network', SHA, 1, { hiddenForPolls: 2 }),
        run('run-app0000000000001', 'app', SHA, 1),
        run('run-database00000001', 'database', SHA, 1, { hiddenForPolls: 1 })
      ]
    })
    const ids = names.map(name => sim.workspaceId(name))
    const { result, lines } = await discover(sim, { workspaces: names })
    expect((await result).map(r => [r.workspace, r.runId])).toEqual([
      ['network', 'run-network000000001'],
      ['app', 'run-app0000000000001'],
      ['database', 'run-database00000001']
    ])
    expect(sim.maxInFlight()).toBe(3)
    // Workspaces whose run was found are not asked again.
    const listsPerWorkspace = ids.map(
      id => sim.server.requests.filter(r => r.path === `/api/v2/workspaces/${id}/runs`).length
    )
    expect(listsPerWorkspace).toEqual([3, 1, 2])
    expect(lines.filter(line => line.includes('found run'))).toHaveLength(3)
  })

  it('keeps run-list requests within 30 per minute across many workspaces', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `ws${String(i).padStart(2, '0')}`)
    const runs = names.map((name, i) =>
      run(`run-${name.padEnd(16, '0')}`, name, SHA, i, { hiddenForPolls: 4 + i })
    )
    const sim = await startSim({ workspaces: names, runs })
    server = sim.server
    const time = fakeClock(1_700_000_000_000)
    // Stamp each run-list call with the injected clock at the moment it is made.
    const inner = createTfcClient({ origin: sim.server.origin, token: TOKEN, clock: time })
    const stamps: number[] = []
    const client: TfcClient = {
      origin: inner.origin,
      fetchExternal: inner.fetchExternal,
      apiDownload: inner.apiDownload,
      api: (path, options) => {
        if (/^\/workspaces\/[^/]+\/runs$/.test(path)) stamps.push(time.now())
        return inner.api(path, options)
      }
    }
    const found = await discoverRuns(client, {
      organization: ORG,
      workspaces: names,
      commitSha: SHA,
      timeoutMs: 30 * 60_000,
      pollIntervalMs: 1000,
      clock: time,
      log: () => undefined
    })
    expect(found).toHaveLength(12)
    expect(stamps.length).toBeGreaterThan(60)
    const busiestMinute = Math.max(
      ...stamps.map(start => stamps.filter(t => t >= start && t < start + 60_000).length)
    )
    expect(busiestMinute).toBeLessThanOrEqual(30)
  })

  it('finds the runs of 150 workspaces with one organization run list per 100 workspaces a round', async () => {
    const names = Array.from({ length: 150 }, (_, i) => `svc-${String(i).padStart(3, '0')}`)
    const runs = names.map((name, i) =>
      run(`run-${name.padEnd(16, '0')}`, name, SHA, i % 50, { hiddenForPolls: i % 3 })
    )
    const sim = await startSim({ workspaces: names, runs, organizationList: true })
    const { result, time } = await discover(sim, { workspaces: ['svc-*'] })
    expect((await result).map(found => found.runId)).toEqual(runs.map(r => r.id))
    expect(sim.server.requests.filter(isRunList)).toEqual([])
    const lists = sim.server.requests.filter(isOrganizationRunList)
    // Three rounds (runs hidden for up to two polls), each asking for the workspaces still pending.
    // (The shorter pauses are the request budget's: each run's commit is asked for on its own.)
    expect(time.sleeps.filter(ms => ms > 1000)).toEqual([3000, 3000])
    const named = lists.map(list => list.query.get('filter[workspace_names]')?.split(',') ?? [])
    expect(named.map(list => list.length)).toEqual([100, 50, 100, 50])
    expect(named[0].slice(0, 2)).toEqual(['svc-000', 'svc-001'])
    for (const list of lists) {
      expect(list.query.get('search[commit]')).toBe(SHA)
      expect(list.query.get('filter[operation]')?.split(',')).toContain('plan_only')
      expect(list.query.get('page[size]')).toBe('100')
    }
  })

  it("lists each workspace's runs where the server has no organization run list", async () => {
    const sim = await startSim({
      workspaces: ['app', 'db'],
      runs: [run('run-app0000000000001', 'app', SHA, 1), run('run-db00000000000001', 'db', SHA, 1)]
    })
    const { result, lines } = await discover(sim, { workspaces: ['app', 'db'] })
    expect((await result).map(found => found.runId)).toEqual([
      'run-app0000000000001',
      'run-db00000000000001'
    ])
    expect(sim.server.requests.filter(isOrganizationRunList)).toHaveLength(1)
    expect(sim.server.requests.filter(isRunList)).toHaveLength(2)
    expect(lines.some(line => line.includes('no organization run list'))).toBe(true)
  })

  it('logs progress at most about once a minute while waiting', async () => {
    const sim = await startSim({ workspaces: ['app'] })
    const { result, lines } = await discover(sim, { timeoutMs: 5 * 60_000, pollIntervalMs: 1000 })
    await expect(result).rejects.toThrow(RunDiscoveryError)
    const waiting = lines.filter(line => line.startsWith('Still waiting'))
    expect(waiting.length).toBeGreaterThanOrEqual(4)
    expect(waiting.length).toBeLessThanOrEqual(5)
  })

  it('stops when the signal is aborted', async () => {
    const sim = await startSim({ workspaces: ['app'] })
    const controller = new AbortController()
    const time = fakeClock(1_700_000_000_000)
    const { result } = await discover(sim, {
      signal: controller.signal,
      clock: {
        now: time.now,
        sleep: async ms => {
          await time.sleep(ms)
          if (time.sleeps.length === 2) controller.abort(new Error('Cancelled by SIGINT'))
        }
      }
    })
    await expect(result).rejects.toThrow('Cancelled by SIGINT')
    expect(sim.server.requests.filter(isRunList)).toHaveLength(2)
  })
})
