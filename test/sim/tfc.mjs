// An HCP Terraform / Terraform Enterprise API simulator on loopback, for tests, the demo and the
// benchmark. It follows HashiCorp's API documentation (and go-tfe's models) closely enough that a
// client written from the docs works, and it records every request so tests can check what was sent where.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { document, jsonApiError, notFound, paginate, plainError, rateLimited } from './jsonapi.mjs'
import { startRecordingServer } from './server.mjs'
import { tarGz } from './tar.mjs'
import { planCounts, redactPlan, sentinelMockFiles, structuredLog } from './tfc-plan.mjs'
import { createPostPlan } from './tfc-post-plan.mjs'

const ROLE_RANK = { none: 0, read: 1, admin: 2 }
const FINAL_PLAN_STATUSES = ['finished', 'errored', 'canceled', 'unreachable']
const FINAL_RUN_STATUSES = [
  'applied',
  'planned_and_finished',
  'planned_and_saved',
  'errored',
  'canceled',
  'force_canceled',
  'discarded'
]
const DISCARDABLE_RUN_STATUSES = [
  'planned',
  'cost_estimated',
  'policy_checked',
  'policy_override',
  'policy_soft_failed',
  'post_plan_completed',
  'post_plan_awaiting_decision',
  'pre_plan_awaiting_decision'
]
const SUPPORTED_RUN_INCLUDES = [
  'plan',
  'workspace',
  'configuration_version',
  'configuration_version.ingress_attributes',
  'created_by',
  'apply',
  'cost_estimate',
  'task_stages'
]
const LIST_LIMIT_PER_MINUTE = 30
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/**
 * @typedef {'admin' | 'read' | 'none'} TokenRole
 * @typedef {{ run: string, plan: string }} StatusStep
 * @typedef {import('./server.mjs').RecordedRequest} RecordedRequest
 * @typedef {import('./server.mjs').Fault} Fault
 * @typedef {import('./jsonapi.mjs').SimResponse} SimResponse
 */

/**
 * Starts the API server (http://127.0.0.1:PORT) and an archivist on another origin
 * (http://localhost:PORT2) for the temporary URLs the API redirects to.
 * @param {{ tokens?: Record<string, 'admin' | 'read'>, jsonOutputNotReadyPolls?: number,
 *   archivistUrlTtlMs?: number, listRateLimit?: boolean, apiVersion?: string,
 *   taskStages?: boolean }} [options]
 */
export async function startTfcSimulator(options = {}) {
  const tokens = options.tokens ?? {
    [randomToken()]: 'admin',
    [randomToken()]: 'read'
  }
  const tokenFor = (/** @type {string} */ role) =>
    Object.keys(tokens).find(token => tokens[token] === role)
  /** @type {RecordedRequest[]} */
  const requests = []
  /** @type {{ url: string, authorization: string }[]} */
  const tokenLeaks = []
  /** @type {Fault[]} */
  const faults = []
  /** @type {Map<string, any>} */ const workspaces = new Map()
  /** @type {Map<string, any>} */ const runs = new Map()
  /** @type {Map<string, any>} */ const planExports = new Map()
  /** @type {Map<string, { body: Buffer, contentType: string, expiresAt?: number }>} */
  const archive = new Map()
  /** @type {number[]} */ const listRequestTimes = []
  let runSequence = 0

  const api = await startRecordingServer({ host: '127.0.0.1', route: routeApi, requests, faults })
  // A different origin from the API, as archivist.terraform.io is on HCP Terraform.
  const archivist = await startRecordingServer({
    host: 'localhost',
    route: routeArchivist,
    requests,
    faults,
    onRequest: req => {
      if (req.headers.authorization !== undefined) {
        tokenLeaks.push({ url: req.path, authorization: String(req.headers.authorization) })
      }
    }
  })
  const apiUrl = api.origin
  const archivistUrl = archivist.origin
  // An older TFE knows neither task stages nor their include.
  const taskStages = options.taskStages ?? true
  const runIncludes = SUPPORTED_RUN_INCLUDES.filter(name => taskStages || name !== 'task_stages')
  const postPlan = createPostPlan({
    apiUrl,
    taskStages,
    route,
    visibleRun: (role, id) => {
      const run = byRun(id)
      return run && access(role, run) !== 'none' ? run : undefined
    },
    allRuns: () => runs.values(),
    settled: run => run.override !== undefined || currentStep(run) === run.statuses.length - 1
  })

  // ── API routes ────────────────────────────────────────────────────────────────────────────

  /** Plans are reached by their own ID or through their run: the same answers either way. */
  const planRoutes = [
    ['/runs/:id/plan', byRun],
    ['/plans/:id', byPlan]
  ].flatMap(([prefix, find]) => [
    route('GET', prefix, (req, role, id) => showPlan(role, find(id))),
    route('GET', `${prefix}/json-output`, (req, role, id) => jsonOutput(role, find(id))),
    route('GET', `${prefix}/json-output-redacted`, (req, role, id) =>
      redactedOutput(role, find(id))
    )
  ])
  const routes = [
    route('GET', '/runs/:id', showRun),
    ...planRoutes,
    route('GET', '/workspaces/:id', showWorkspaceById),
    route('GET', '/workspaces/:id/runs', listWorkspaceRuns),
    route('GET', '/organizations/:org/runs', listOrganizationRuns),
    route('GET', '/organizations/:org/workspaces', listWorkspaces),
    route('GET', '/organizations/:org/workspaces/:name', showWorkspaceByName),
    route('GET', '/configuration-versions/:id', showConfigurationVersion),
    route('GET', '/configuration-versions/:id/ingress-attributes', showIngress),
    route('POST', '/plan-exports', createExport),
    route('GET', '/plan-exports/:id', showExport),
    route('GET', '/plan-exports/:id/download', downloadExport),
    route('DELETE', '/plan-exports/:id', deleteExport),
    ...postPlan.routes
  ]

  /** @param {RecordedRequest} req @returns {SimResponse} */
  function routeApi(req) {
    if (req.method === 'GET' && req.path === '/.well-known/terraform.json') {
      return { status: 200, headers: { 'content-type': 'application/json' }, body: discovery() }
    }
    if (req.method === 'GET' && req.path === '/api/v2/ping') {
      return {
        status: 204,
        headers: {
          'tfp-api-version': options.apiVersion ?? '2.6',
          'tfp-appname': 'HCP Terraform',
          'x-tfe-version': 'simulated'
        }
      }
    }
    const role = roleOf(req)
    if (!role) return jsonApiError(401, 'unauthorized')
    for (const [method, pattern, handler] of routes) {
      const match = pattern.exec(req.path)
      if (match && method === req.method) {
        return handler(req, role, ...match.slice(1).map(decodeURIComponent))
      }
    }
    return notFound()
  }

  /** @param {RecordedRequest} req @returns {TokenRole | undefined} */
  function roleOf(req) {
    const match = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))
    return match ? tokens[match[1]] : undefined
  }

  /** @param {TokenRole} tokenRole @param {{ tokenRole?: TokenRole }} subject */
  function access(tokenRole, subject) {
    const capped = subject.tokenRole ?? 'admin'
    return ROLE_RANK[capped] < ROLE_RANK[tokenRole] ? capped : tokenRole
  }

  function discovery() {
    return { 'tfe.v2': '/api/v2/', 'tfe.v2.1': '/api/v2/', 'tfe.v2.2': '/api/v2/' }
  }

  // runs

  /** @param {string} id */
  function byRun(id) {
    return runs.get(id)
  }

  /** @param {string} id */
  function byPlan(id) {
    return [...runs.values()].find(run => run.planId === id)
  }

  /** @param {RecordedRequest} req @param {TokenRole} role @param {string} runId */
  function showRun(req, role, runId) {
    const run = byRun(runId)
    if (!run || access(role, run) === 'none') return notFound()
    const includes = splitList(req.query.include)
    const unsupported = includes.filter(name => !runIncludes.includes(name))
    if (unsupported.length > 0) {
      return jsonApiError(400, 'Invalid include parameter', `invalid: ${unsupported.join(', ')}`)
    }
    const data = runResource(run)
    const included = []
    if (includes.includes('plan')) included.push(planResource(run))
    if (includes.includes('workspace')) included.push(workspaceResource(run.workspace))
    if (includes.some(name => name.startsWith('configuration_version'))) {
      included.push(configurationVersionResource(run))
    }
    if (includes.includes('configuration_version.ingress_attributes') && run.ingress) {
      included.push(ingressResource(run))
    }
    if (includes.includes('created_by')) included.push(userResource(run))
    included.push(...postPlan.included(run, includes))
    advanceAfterPoll(run)
    return document(includes.length > 0 ? { data, included } : { data })
  }

  /** @param {TokenRole} role @param {any} run */
  function showPlan(role, run) {
    if (!run || access(role, run) === 'none') return notFound()
    const response = document({ data: planResource(run) })
    advanceAfterPoll(run)
    return response
  }

  /** @param {TokenRole} role @param {any} run */
  function jsonOutput(role, run) {
    if (!run || access(role, run) !== 'admin') return notFound()
    const { plan } = observe(run)
    if (isOlderThan(run.terraformVersion, [0, 12, 0])) {
      return jsonApiError(422, 'unprocessable entity', 'JSON plans require Terraform 0.12 or later')
    }
    if (!FINAL_PLAN_STATUSES.includes(plan)) return { status: 204 }
    if (run.planJson === undefined) return notFound()
    if (run.jsonNotReadyServed < run.jsonOutputNotReadyPolls) {
      run.jsonNotReadyServed++
      return { status: 204 }
    }
    const location = publishTemporary(run.planJson, 'application/json')
    return { status: 307, headers: { location } }
  }

  /** @param {TokenRole} role @param {any} run */
  function redactedOutput(role, run) {
    if (!run || access(role, run) === 'none') return notFound()
    if (run.redactedJson == null || isOlderThan(run.terraformVersion, [0, 15, 2])) return notFound()
    if (!FINAL_PLAN_STATUSES.includes(observe(run).plan)) return { status: 204 }
    if (run.redactedVia === 'redirect') {
      const location = publishTemporary(run.redactedJson, 'application/json')
      return { status: 307, headers: { location } }
    }
    return { status: 200, headers: { 'content-type': 'application/json' }, body: run.redactedJson }
  }

  // run lists

  /** @param {RecordedRequest} req @param {TokenRole} role @param {string} workspaceId */
  function listWorkspaceRuns(req, role, workspaceId) {
    const limited = countListRequest()
    if (limited) return limited
    const workspace = workspaces.get(workspaceId)
    if (!workspace || access(role, workspace) === 'none') return notFound()
    const matching = filterRuns(req.query, role).filter(run => run.workspace === workspace)
    return document(paginate(matching.map(runResource), req, apiUrl))
  }

  /** @param {RecordedRequest} req @param {TokenRole} role @param {string} organization */
  function listOrganizationRuns(req, role, organization) {
    const limited = countListRequest()
    if (limited) return limited
    if (!organizationExists(organization)) return notFound()
    const names = splitList(req.query['filter[workspace_names]'])
    const matching = filterRuns(req.query, role).filter(
      run =>
        run.workspace.organization === organization &&
        (names.length === 0 || names.includes(run.workspace.name))
    )
    return document(paginate(matching.map(runResource), req, apiUrl))
  }

  /** @returns {SimResponse | undefined} a 429 when the run-list rate limit is exceeded */
  function countListRequest() {
    const now = Date.now()
    listRequestTimes.push(now)
    if (!options.listRateLimit) return undefined
    const recent = listRequestTimes.filter(time => time > now - 60_000)
    if (recent.length <= LIST_LIMIT_PER_MINUTE) return undefined
    const resetSeconds = (recent[recent.length - LIST_LIMIT_PER_MINUTE - 1] + 60_000 - now) / 1000
    return rateLimited(resetSeconds.toFixed(3))
  }

  /** @param {Record<string, string>} query @param {TokenRole} role */
  function filterRuns(query, role) {
    const operations = splitList(query['filter[operation]'])
    const statuses = splitList(query['filter[status]'])
    const sources = splitList(query['filter[source]'])
    const group = query['filter[status_group]']
    const commit = query['search[commit]']
    const user = query['search[user]']
    const basic = query['search[basic]']?.toLowerCase()
    return [...runs.values()]
      .filter(run => access(role, run) !== 'none')
      .filter(run =>
        operations.length > 0 ? operations.includes(run.operation) : run.operation !== 'plan_only'
      )
      .filter(run => statuses.length === 0 || statuses.includes(observe(run).run))
      .filter(run => sources.length === 0 || sources.includes(run.source))
      .filter(run => !group || inStatusGroup(observe(run).run, group))
      .filter(run => !commit || run.ingress?.commitSha === commit)
      .filter(run => !user || run.createdBy === user)
      .filter(
        run =>
          !basic ||
          [run.id, run.message, run.ingress?.commitSha, run.createdBy].some(text =>
            String(text ?? '')
              .toLowerCase()
              .includes(basic)
          )
      )
      .sort((a, b) => b.createdAt - a.createdAt || b.sequence - a.sequence)
  }

  /** @param {string} status @param {string} group */
  function inStatusGroup(status, group) {
    if (group === 'final') return FINAL_RUN_STATUSES.includes(status)
    if (group === 'non_final') return !FINAL_RUN_STATUSES.includes(status)
    if (group === 'discardable') return DISCARDABLE_RUN_STATUSES.includes(status)
    return false
  }

  // workspaces

  /** @param {string} organization */
  function organizationExists(organization) {
    return [...workspaces.values()].some(ws => ws.organization === organization)
  }

  /** @param {RecordedRequest} req @param {TokenRole} role @param {string} organization */
  function listWorkspaces(req, role, organization) {
    if (!organizationExists(organization)) return notFound()
    const search = req.query['search[name]']?.toLowerCase()
    const wildcard = req.query['search[wildcard-name]']
    const pattern = wildcard ? wildcardPattern(wildcard) : undefined
    const matching = [...workspaces.values()]
      .filter(ws => ws.organization === organization && access(role, ws) !== 'none')
      .filter(ws => !search || ws.name.toLowerCase().includes(search))
      .filter(ws => !pattern || pattern.test(ws.name))
      .sort((a, b) => a.name.localeCompare(b.name))
    return document(paginate(matching.map(workspaceResource), req, apiUrl))
  }

  /** @param {RecordedRequest} req @param {TokenRole} role @param {string} org @param {string} name */
  function showWorkspaceByName(req, role, org, name) {
    const workspace = [...workspaces.values()].find(
      ws => ws.organization === org && ws.name === name
    )
    if (!workspace || access(role, workspace) === 'none') return notFound()
    return document({ data: workspaceResource(workspace) })
  }

  /** @param {RecordedRequest} req @param {TokenRole} role @param {string} id */
  function showWorkspaceById(req, role, id) {
    const workspace = workspaces.get(id)
    if (!workspace || access(role, workspace) === 'none') return notFound()
    return document({ data: workspaceResource(workspace) })
  }

  // configuration versions

  /** @param {string} id */
  function runOfConfigurationVersion(id) {
    return [...runs.values()].find(run => run.configurationVersionId === id)
  }

  /** @param {RecordedRequest} req @param {TokenRole} role @param {string} id */
  function showConfigurationVersion(req, role, id) {
    const run = runOfConfigurationVersion(id)
    if (!run || access(role, run) === 'none') return notFound()
    return document({ data: configurationVersionResource(run) })
  }

  /** @param {RecordedRequest} req @param {TokenRole} role @param {string} id */
  function showIngress(req, role, id) {
    const run = runOfConfigurationVersion(id)
    if (!run || !run.ingress || access(role, run) === 'none') return notFound()
    return document({ data: ingressResource(run) })
  }

  // plan exports

  /** @param {RecordedRequest} req @param {TokenRole} role */
  function createExport(req, role) {
    let body
    try {
      body = JSON.parse(req.body)
    } catch {
      return jsonApiError(400, 'bad request', 'body is not JSON')
    }
    const data = body?.data
    const dataType = data?.attributes?.['data-type']
    const planId = data?.relationships?.plan?.data?.id
    if (data?.type !== 'plan-exports' || dataType !== 'sentinel-mock-bundle-v0' || !planId) {
      return jsonApiError(
        422,
        'invalid attribute',
        'a sentinel-mock-bundle-v0 plan export needs a plan'
      )
    }
    const run = byPlan(planId)
    if (!run || access(role, run) !== 'admin') return notFound()
    const existing = activeExports(run).find(pe => pe.dataType === dataType)
    if (existing) {
      return jsonApiError(
        422,
        'invalid attribute',
        `Plan already has an export of type ${dataType}`
      )
    }
    const planExport = {
      id: randomId('pe-'),
      run,
      dataType,
      statuses: run.exportStatuses,
      step: 0,
      deleted: false,
      timestamps: { 'queued-at': new Date().toISOString() }
    }
    planExports.set(planExport.id, planExport)
    return document({ data: exportResource(planExport) }, 201)
  }

  /** @param {any} run */
  function activeExports(run) {
    return [...planExports.values()].filter(
      pe =>
        pe.run === run &&
        !pe.deleted &&
        ['pending', 'queued', 'finished'].includes(exportStatus(pe))
    )
  }

  /** @param {RecordedRequest} req @param {TokenRole} role @param {string} id */
  function showExport(req, role, id) {
    const planExport = adminVisibleExport(role, id)
    if (!planExport) return notFound()
    const response = document({ data: exportResource(planExport) })
    planExport.step = Math.min(planExport.step + 1, planExport.statuses.length - 1)
    return response
  }

  /** @param {RecordedRequest} req @param {TokenRole} role @param {string} id */
  function downloadExport(req, role, id) {
    const planExport = adminVisibleExport(role, id)
    if (!planExport) return notFound()
    if (exportStatus(planExport) !== 'finished') {
      return jsonApiError(404, 'not found', 'the plan export is not downloadable')
    }
    const bundle = tarGz(sentinelMockFiles(planExport.run.parsedPlan))
    const location = publishTemporary(bundle, 'application/x-gzip', '.tar.gz')
    return { status: 302, headers: { location } }
  }

  /** @param {RecordedRequest} req @param {TokenRole} role @param {string} id */
  function deleteExport(req, role, id) {
    const planExport = adminVisibleExport(role, id)
    if (!planExport) return notFound()
    planExport.deleted = true
    return { status: 204 }
  }

  /** Exports hold unredacted values: only admins see them. @param {TokenRole} role @param {string} id */
  function adminVisibleExport(role, id) {
    const planExport = planExports.get(id)
    const visible = planExport && !planExport.deleted && access(role, planExport.run) === 'admin'
    return visible ? planExport : undefined
  }

  /** @param {any} planExport */
  function exportStatus(planExport) {
    return planExport.statuses[planExport.step]
  }

  // ── archivist ─────────────────────────────────────────────────────────────────────────────

  /**
   * Stores a body under a fresh secret URL on the archivist origin; it never expires (log URLs).
   * @param {string | Buffer} body @param {string} contentType @param {{ ttlMs?: number, suffix?: string }} [options]
   */
  function publish(body, contentType, { ttlMs, suffix = '' } = {}) {
    const path = `/v1/object/${randomBytes(24).toString('base64url')}${suffix}`
    const expiresAt = ttlMs === undefined ? undefined : Date.now() + ttlMs
    // Plans are encoded once per run, not per request: the bench times the action, not this.
    archive.set(path, {
      body: Buffer.isBuffer(body) ? body : Buffer.from(body),
      contentType,
      expiresAt
    })
    return `${archivistUrl}${path}?sig=${randomBytes(16).toString('hex')}`
  }

  /** A URL like the API redirects to: valid for a minute by default. @param {string | Buffer} body @param {string} contentType @param {string} [suffix] */
  function publishTemporary(body, contentType, suffix) {
    return publish(body, contentType, { ttlMs: options.archivistUrlTtlMs ?? 60_000, suffix })
  }

  /** @param {RecordedRequest} req @returns {SimResponse} */
  function routeArchivist(req) {
    if (req.headers.authorization !== undefined) {
      return plainError(400, 'Only one auth mechanism allowed; the URL already carries a signature')
    }
    const object = archive.get(req.path)
    if (!object || req.method !== 'GET') return plainError(404, 'NoSuchKey')
    if (object.expiresAt !== undefined && Date.now() > object.expiresAt) {
      return plainError(403, 'Request has expired')
    }
    return { status: 200, headers: { 'content-type': object.contentType }, body: object.body }
  }

  // ── documents ─────────────────────────────────────────────────────────────────────────────

  /** @param {any} run */
  function runResource(run) {
    const { run: status, plan } = observe(run)
    const planFinished = plan === 'finished'
    return {
      id: run.id,
      type: 'runs',
      attributes: {
        status,
        'status-timestamps': { ...run.runTimestamps },
        source: run.source,
        message: run.message,
        'created-at': new Date(run.createdAt).toISOString(),
        'has-changes': planFinished && run.hasChanges,
        'is-destroy': run.operation === 'destroy',
        'plan-only': run.operation === 'plan_only',
        'refresh-only': run.operation === 'refresh_only',
        'save-plan': run.operation === 'save_plan',
        'terraform-version': run.terraformVersion,
        'trigger-reason': 'manual',
        actions: {
          'is-cancelable': !FINAL_RUN_STATUSES.includes(status),
          'is-confirmable': status === 'planned',
          'is-discardable': DISCARDABLE_RUN_STATUSES.includes(status),
          'is-force-cancelable': false
        }
      },
      relationships: {
        workspace: { data: { id: run.workspace.id, type: 'workspaces' } },
        plan: {
          data: { id: run.planId, type: 'plans' },
          links: { related: `/api/v2/runs/${run.id}/plan` }
        },
        'configuration-version': {
          data: { id: run.configurationVersionId, type: 'configuration-versions' },
          links: { related: `/api/v2/runs/${run.id}/configuration-version` }
        },
        'created-by': { data: { id: run.createdById, type: 'users' } },
        ...postPlan.relationships(run)
      },
      links: { self: `/api/v2/runs/${run.id}` }
    }
  }

  /** @param {any} run */
  function planResource(run) {
    const { plan: status } = observe(run)
    const finished = status === 'finished'
    const started = !['pending', 'queued', 'managed_queued', 'created'].includes(status)
    const self = `/api/v2/plans/${run.planId}`
    return {
      id: run.planId,
      type: 'plans',
      attributes: {
        status,
        'has-changes': finished && run.hasChanges,
        'resource-additions': finished ? run.counts.add : 0,
        'resource-changes': finished ? run.counts.change : 0,
        'resource-destructions': finished ? run.counts.destroy : 0,
        'resource-imports': finished ? run.counts.import : 0,
        'status-timestamps': { ...run.planTimestamps },
        'execution-details': started ? run.executionDetails : null,
        'generated-configuration': false,
        'log-read-url': run.logUrl,
        'structured-run-output-enabled': run.structuredRunOutput
      },
      relationships: {
        'state-versions': { data: [] },
        exports: { data: activeExports(run).map(pe => ({ id: pe.id, type: 'plan-exports' })) }
      },
      links: {
        self,
        'json-output': `${self}/json-output`,
        'json-output-redacted': `${self}/json-output-redacted`,
        'json-schema': `${self}/json-schema`
      }
    }
  }

  /** @param {any} workspace */
  function workspaceResource(workspace) {
    const { organization, name } = workspace
    return {
      id: workspace.id,
      type: 'workspaces',
      attributes: {
        name,
        environment: 'default',
        'execution-mode': 'remote',
        'structured-run-output-enabled': true,
        'terraform-version': '1.9.5',
        'created-at': workspace.createdAt
      },
      relationships: { organization: { data: { id: organization, type: 'organizations' } } },
      links: {
        self: `/api/v2/organizations/${organization}/workspaces/${name}`,
        'self-html': `/app/${organization}/workspaces/${name}`
      }
    }
  }

  /** @param {any} run */
  function configurationVersionResource(run) {
    const ingress = run.ingress
      ? {
          data: { id: run.ingressId, type: 'ingress-attributes' },
          links: {
            related: `/api/v2/configuration-versions/${run.configurationVersionId}/ingress-attributes`
          }
        }
      : { data: null }
    return {
      id: run.configurationVersionId,
      type: 'configuration-versions',
      attributes: {
        source: run.ingress ? 'github' : 'tfe-api',
        speculative: run.operation === 'plan_only',
        status: 'uploaded'
      },
      relationships: { 'ingress-attributes': ingress },
      links: { self: `/api/v2/configuration-versions/${run.configurationVersionId}` }
    }
  }

  /** @param {any} run */
  function ingressResource(run) {
    const { commitSha, branch, pullRequestNumber, identifier } = run.ingress
    const repoUrl = `https://github.com/${identifier}`
    return {
      id: run.ingressId,
      type: 'ingress-attributes',
      attributes: {
        branch,
        'clone-url': `${repoUrl}.git`,
        'commit-message': run.message,
        'commit-sha': commitSha,
        'commit-url': `${repoUrl}/commit/${commitSha}`,
        identifier,
        'is-pull-request': pullRequestNumber !== undefined,
        'on-default-branch': pullRequestNumber === undefined && branch === 'main',
        'pull-request-number': pullRequestNumber ?? null,
        'pull-request-url':
          pullRequestNumber === undefined ? null : `${repoUrl}/pull/${pullRequestNumber}`,
        'sender-username': run.createdBy
      },
      links: {
        self: `/api/v2/configuration-versions/${run.configurationVersionId}/ingress-attributes`
      }
    }
  }

  /** @param {any} run */
  function userResource(run) {
    return { id: run.createdById, type: 'users', attributes: { username: run.createdBy } }
  }

  /** @param {any} planExport */
  function exportResource(planExport) {
    const status = exportStatus(planExport)
    const self = `/api/v2/plan-exports/${planExport.id}`
    planExport.timestamps[`${status}-at`] ??= new Date().toISOString()
    return {
      id: planExport.id,
      type: 'plan-exports',
      attributes: {
        'data-type': planExport.dataType,
        status,
        'status-timestamps': { ...planExport.timestamps }
      },
      relationships: { plan: { data: { id: planExport.run.planId, type: 'plans' } } },
      links: status === 'finished' ? { self, download: `${self}/download` } : { self }
    }
  }

  // ── status progression ────────────────────────────────────────────────────────────────────

  /** The run's current statuses, recording when each was first seen. @param {any} run @returns {StatusStep} */
  function observe(run) {
    const current = run.override ?? run.statuses[currentStep(run)]
    const now = new Date().toISOString()
    run.runTimestamps[`${current.run.replaceAll('_', '-')}-at`] ??= now
    run.planTimestamps[planTimestampKey(current.plan)] ??= now
    return current
  }

  /** @param {any} run */
  function currentStep(run) {
    if (typeof run.advance === 'number') {
      return Math.min(Math.floor((Date.now() - run.addedAt) / run.advance), run.statuses.length - 1)
    }
    return run.step
  }

  /** A poll of the run or its plan saw the current status: move it one step on. @param {any} run */
  function advanceAfterPoll(run) {
    if (run.advance === 'poll') run.step = Math.min(run.step + 1, run.statuses.length - 1)
  }

  // ── public API ────────────────────────────────────────────────────────────────────────────

  /**
   * @param {{ name: string, organization: string, id?: string, tokenRole?: TokenRole }} spec
   */
  function addWorkspace({ name, organization, id, tokenRole }) {
    const workspace = {
      id: id ?? randomId('ws-'),
      name,
      organization,
      tokenRole,
      createdAt: new Date().toISOString()
    }
    workspaces.set(workspace.id, workspace)
    return workspace
  }

  /** @param {any} spec */
  function addRun(spec) {
    const workspace = findOrAddWorkspace(spec.workspace, spec.organization)
    const planJson =
      spec.planJson === undefined || spec.planJson === null ? undefined : loadJson(spec.planJson)
    const parsedPlan = planJson === undefined ? undefined : JSON.parse(planJson)
    const { hasChanges: planHasChanges, ...planCounted } = parsedPlan
      ? planCounts(parsedPlan)
      : { add: 0, change: 0, destroy: 0, import: 0, hasChanges: false }
    const counts = { ...planCounted, ...spec.counts }
    const anyCounted = Object.values(counts).some(count => count > 0)
    const hasChanges = spec.hasChanges ?? (parsedPlan ? planHasChanges : anyCounted)
    const statuses = (spec.statuses ?? ['finished']).map((/** @type {any} */ step) =>
      normalizeStep(step, spec.operation ?? 'plan_only', hasChanges)
    )
    const terraformVersion = spec.terraformVersion ?? parsedPlan?.terraform_version ?? '1.9.5'
    const errored = statuses.some(step => step.plan === 'errored')
    const sequence = runSequence++
    const run = {
      id: spec.id ?? randomId('run-'),
      planId: spec.planId ?? randomId('plan-'),
      configurationVersionId: randomId('cv-'),
      ingressId: randomId('ia-'),
      createdById: randomId('user-'),
      createdBy: spec.createdBy ?? 'octocat',
      workspace,
      operation: spec.operation ?? 'plan_only',
      source: spec.source ?? 'tfe-configuration-version',
      message: spec.message ?? 'Triggered via simulator',
      sequence,
      createdAt: spec.createdAt ? new Date(spec.createdAt).getTime() : Date.now() + sequence,
      addedAt: Date.now(),
      ingress: spec.commitSha
        ? {
            commitSha: spec.commitSha,
            branch: spec.branch ?? 'feature',
            pullRequestNumber: spec.pullRequestNumber,
            identifier: spec.repository ?? 'octo/infra'
          }
        : undefined,
      planJson: planJson === undefined ? undefined : Buffer.from(planJson),
      parsedPlan,
      redactedJson: redactedFor(spec.redactedJson, parsedPlan, spec.providerSchemas),
      redactedVia: spec.redactedVia ?? 'inline',
      counts,
      hasChanges,
      terraformVersion,
      tokenRole: spec.tokenRole ?? workspace.tokenRole,
      statuses,
      advance: spec.advance ?? 'poll',
      step: 0,
      override: undefined,
      runTimestamps: {},
      planTimestamps: {},
      executionDetails: spec.executionDetails ?? { mode: 'remote' },
      structuredRunOutput:
        spec.structuredRunOutput ??
        (spec.logText === undefined || spec.logText.trimStart().startsWith('{')),
      jsonOutputNotReadyPolls: spec.jsonOutputNotReadyPolls ?? options.jsonOutputNotReadyPolls ?? 1,
      jsonNotReadyServed: 0,
      exportStatuses: spec.exportStatuses ?? ['pending', 'queued', 'finished'],
      logUrl: ''
    }
    const logText =
      spec.logText ?? structuredLog({ plan: parsedPlan, counts, terraformVersion, errored })
    run.logUrl = publish(logText, 'text/plain')
    postPlan.attach(run, spec.postPlan)
    runs.set(run.id, run)
    return run
  }

  /** @param {string | { id: string }} ref @param {string | undefined} organization */
  function findOrAddWorkspace(ref, organization) {
    if (typeof ref === 'object') return ref
    const known = workspaces.get(ref) ?? [...workspaces.values()].find(ws => ws.name === ref)
    return known ?? addWorkspace({ name: ref, organization: organization ?? 'acme' })
  }

  /**
   * Sets a run's statuses by hand (and stops its automatic progression).
   * @param {string} id run or plan ID @param {string} planStatus @param {string} [runStatus]
   */
  function setPlanStatus(id, planStatus, runStatus) {
    const run = byRun(id) ?? byPlan(id)
    if (!run) throw new Error(`no run or plan ${id}`)
    run.override = normalizeStep(
      runStatus ? { plan: planStatus, run: runStatus } : planStatus,
      run.operation,
      run.hasChanges
    )
  }

  async function close() {
    await Promise.all([api.close(), archivist.close()])
  }

  return {
    url: apiUrl,
    archivistUrl,
    /** Tokens by role, for tests: `tokens.admin`, `tokens.read`. */
    tokens: { admin: tokenFor('admin'), read: tokenFor('read') },
    requests,
    tokenLeaks,
    faults,
    addWorkspace,
    addRun,
    setPlanStatus,
    listRequestCount: () => listRequestTimes.length,
    close
  }
}

// ── helpers without simulator state ───────────────────────────────────────────────────────

/**
 * A status step from a plan status alone ('running') or a {run, plan} pair.
 * @param {string | Partial<StatusStep>} step @param {string} operation @param {boolean} hasChanges
 * @returns {StatusStep}
 */
function normalizeStep(step, operation, hasChanges) {
  const pair = typeof step === 'string' ? { plan: step } : step
  if (!pair.plan) throw new Error(`status step needs a plan status: ${JSON.stringify(step)}`)
  return { plan: pair.plan, run: pair.run ?? runStatusFor(pair.plan, operation, hasChanges) }
}

/** @param {string} planStatus @param {string} operation @param {boolean} hasChanges */
function runStatusFor(planStatus, operation, hasChanges) {
  if (planStatus === 'finished') {
    return operation === 'plan_only' || !hasChanges ? 'planned_and_finished' : 'planned'
  }
  const byPlanStatus = {
    created: 'pending',
    pending: 'pending',
    managed_queued: 'plan_queued',
    queued: 'plan_queued',
    running: 'planning',
    errored: 'errored',
    canceled: 'canceled',
    unreachable: 'errored'
  }
  return byPlanStatus[/** @type {keyof typeof byPlanStatus} */ (planStatus)] ?? planStatus
}

/** @param {string} status */
function planTimestampKey(status) {
  const keys = { running: 'started-at', managed_queued: 'queued-at' }
  return keys[/** @type {keyof typeof keys} */ (status)] ?? `${status.replaceAll('_', '-')}-at`
}

/**
 * @param {unknown} redacted @param {any} parsedPlan @param {any} providerSchemas
 * @returns {string | undefined}
 */
function redactedFor(redacted, parsedPlan, providerSchemas) {
  if (redacted === null || redacted === false) return undefined
  if (redacted !== undefined) return loadJson(redacted)
  return parsedPlan ? JSON.stringify(redactPlan(parsedPlan, providerSchemas)) : undefined
}

/** A JSON document from an object, JSON text or a file path. @param {unknown} source */
function loadJson(source) {
  if (typeof source !== 'string') return JSON.stringify(source)
  return /^\s*[[{]/.test(source) ? source : readFileSync(source, 'utf8')
}

/** @param {string} version @param {number[]} minimum */
function isOlderThan(version, minimum) {
  const parts = version.split(/[.-]/).map(Number)
  for (let i = 0; i < minimum.length; i++) {
    if ((parts[i] ?? 0) !== minimum[i]) return (parts[i] ?? 0) < minimum[i]
  }
  return false
}

/** @param {string | undefined} text */
function splitList(text) {
  return (text ?? '')
    .split(',')
    .map(item => item.trim())
    .filter(Boolean)
}

/**
 * A route of the API: `/runs/:id`-style pattern under /api/v2, with the `:params` captured.
 * @param {string} method @param {string} pattern
 * @param {(req: RecordedRequest, role: TokenRole, ...params: string[]) => SimResponse} handler
 * @returns {[string, RegExp, typeof handler]}
 */
function route(method, pattern, handler) {
  return [method, new RegExp(`^/api/v2${pattern.replace(/:[^/]+/g, '([^/]+)')}$`), handler]
}

/** @param {string} wildcard e.g. `app-*`, `*-prod`, `*net*` */
function wildcardPattern(wildcard) {
  const escaped = wildcard.split('*').map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  return new RegExp(`^${escaped.join('.*')}$`)
}

/** @param {string} prefix */
function randomId(prefix) {
  return `${prefix}${randomAlphanumeric(16)}`
}

function randomToken() {
  return `${randomAlphanumeric(14)}.atlasv1.${randomAlphanumeric(60)}`
}

/** @param {number} length */
function randomAlphanumeric(length) {
  return [...randomBytes(length)].map(byte => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join('')
}

export { fault, on } from './server.mjs'
