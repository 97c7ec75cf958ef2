// An HCP Terraform / Terraform Enterprise API simulator on loopback, for tests, the demo and the
// benchmark. It follows HashiCorp's API documentation (and go-tfe's models) closely enough that a
// client written from the docs works, and it records every request so tests can check what was sent where.
// This core owns the state (runs, workspaces, tokens, requests, faults) and wires the routes of
// the resource modules (tfc-runs, tfc-plans, tfc-exports, tfc-workspaces, tfc-run-lists,
// tfc-configuration-versions, tfc-post-plan) and the archivist (tfc-archivist).
import { readFileSync } from 'node:fs'
import { jsonApiError, notFound, rateLimited } from './jsonapi.mjs'
import { startRecordingServer } from './server.mjs'
import { startArchivist } from './tfc-archivist.mjs'
import { configurationVersionRoutes } from './tfc-configuration-versions.mjs'
import { createPlanExports } from './tfc-exports.mjs'
import { access, currentStep, normalizeStep, randomAlphanumeric, randomId } from './tfc-model.mjs'
import { planCounts, redactPlan, structuredLog } from './tfc-plan.mjs'
import { planRoutes } from './tfc-plans.mjs'
import { createPostPlan } from './tfc-post-plan.mjs'
import { createRunLists } from './tfc-run-lists.mjs'
import { runResource, runRoutes } from './tfc-runs.mjs'
import { workspaceRoutes } from './tfc-workspaces.mjs'

/**
 * @typedef {import('./server.mjs').RecordedRequest} RecordedRequest
 * @typedef {import('./server.mjs').Fault} Fault
 * @typedef {import('./jsonapi.mjs').SimResponse} SimResponse
 * @typedef {import('./tfc-model.mjs').TokenRole} TokenRole
 * @typedef {import('./tfc-model.mjs').StatusStep} StatusStep
 * @typedef {import('./tfc-model.mjs').SimWorkspace} SimWorkspace
 * @typedef {import('./tfc-model.mjs').SimRun} SimRun
 * @typedef {import('./tfc-model.mjs').Route} Route
 * @typedef {import('./tfc-plan.mjs').TerraformPlan} TerraformPlan
 * @typedef {import('./tfc-post-plan.mjs').PostPlanSpec} PostPlanSpec
 * @typedef {import('./tfc-post-plan.mjs').TaskResultSpec} TaskResultSpec
 * @typedef {import('./tfc-post-plan.mjs').PolicyOutcomeSpec} PolicyOutcomeSpec
 */

const REQUESTS_PER_SECOND = 30

/**
 * @typedef {object} SimulatorOptions
 * @property {Record<string, 'admin' | 'read'>} [tokens] token → role. Default: one random admin
 *   token and one random read token (see `tokens`)
 * @property {number} [jsonOutputNotReadyPolls] json-output answers 204 this many times after the
 *   plan finished (default 1)
 * @property {number} [archivistUrlTtlMs] how long archivist URLs for JSON plans and exports stay
 *   valid (default 60 000 ms)
 * @property {boolean} [listRateLimit] answer 429 past 30 run-list requests a minute
 * @property {boolean} [requestRateLimit] answer 429 past 30 API requests a second per token
 * @property {boolean} [organizationRunList] false: an older TFE without the organization run list
 *   (404)
 * @property {string} [apiVersion] TFP-API-Version of the ping endpoint (default 2.6)
 * @property {boolean} [taskStages] false: an older TFE, which answers 400 to include=task_stages
 *   and 404 to task stages
 * @property {boolean} [archivistRanges] false: the archivist ignores Range headers and sends the
 *   whole body (default: it answers them with 206, as object stores do)
 */

/**
 * @typedef {object} WorkspaceSpec
 * @property {string} name
 * @property {string} organization
 * @property {string} [id]
 * @property {TokenRole} [tokenRole] caps the access of every token on this workspace and its runs
 */

/**
 * @typedef {object} RunSpec
 * @property {string} [id]
 * @property {string} [planId]
 * @property {string | SimWorkspace} workspace workspace name or ID (created in `organization`,
 *   default `acme`, when unknown) or object
 * @property {string} [organization]
 * @property {unknown} [planJson] object, JSON text or a file path. Absent: json-output answers 404
 *   once the plan is final
 * @property {unknown} [redactedJson] object, JSON text or file path; default derived from
 *   planJson; null/false: 404
 * @property {'inline' | 'redirect'} [redactedVia] json-output-redacted inline (200, default) or as
 *   a 307 to the archivist
 * @property {object} [providerSchemas] `provider_schemas` of the derived redacted plan (a
 *   `terraform providers schema -json` object's)
 * @property {(string | Partial<StatusStep>)[]} [statuses] progression, one step per poll of the
 *   run or plan (default), per `advance` ms, or held at the first step ('manual') until
 *   setPlanStatus. A string is a plan status; the run status follows. Default: ['finished'].
 * @property {'poll' | 'manual' | number} [advance]
 * @property {string} [operation] plan_only (default) | plan_and_apply | save_plan | refresh_only |
 *   destroy | empty_apply
 * @property {string} [source]
 * @property {string} [message]
 * @property {string} [commitSha] commit of the configuration version; gives the run VCS ingress
 *   attributes
 * @property {string} [branch]
 * @property {number} [pullRequestNumber]
 * @property {string} [repository] owner/repo of the ingress attributes (default octo/infra)
 * @property {string} [createdBy]
 * @property {string | number | Date} [createdAt]
 * @property {boolean} [hasChanges] default derived from planJson
 * @property {Partial<{ add: number, change: number, destroy: number, import: number }>} [counts]
 * @property {string} [terraformVersion] default from planJson's terraform_version, else 1.9.5;
 *   < 0.12 → json-output 422
 * @property {string} [logText] served at log-read-url. Default: a structured log derived from the
 *   plan
 * @property {boolean} [structuredRunOutput]
 * @property {Record<string, string> | null} [executionDetails]
 * @property {TokenRole} [tokenRole] caps token access on this run: admin (json-output ok), read
 *   (json-output 404), none (404)
 * @property {number} [jsonOutputNotReadyPolls]
 * @property {string[]} [exportStatuses] plan export progression, one step per GET (default
 *   pending → queued → finished)
 * @property {PostPlanSpec} [postPlan] run tasks, policies and the cost estimate
 */

/**
 * @typedef {object} TfcSimulator
 * @property {string} url API origin, http://127.0.0.1:PORT
 * @property {string} archivistUrl a different origin: http://localhost:PORT2
 * @property {{ admin?: string, read?: string }} tokens tokens by role, for tests
 * @property {RecordedRequest[]} requests every request to either server
 * @property {{ url: string, authorization: string }[]} tokenLeaks archivist requests that
 *   carried an Authorization header
 * @property {Fault[]} faults
 * @property {(spec: WorkspaceSpec) => SimWorkspace} addWorkspace
 * @property {(spec: RunSpec) => SimRun} addRun
 * @property {(id: string, planStatus: string, runStatus?: string) => void} setPlanStatus holds
 *   the run (by run or plan ID) at this status; the run status follows unless given
 * @property {() => number} listRequestCount run-list requests so far
 * @property {() => Promise<void>} close
 */

/**
 * Starts the API server (http://127.0.0.1:PORT) and an archivist on another origin
 * (http://localhost:PORT2) for the temporary URLs the API redirects to.
 * @param {SimulatorOptions} [options]
 * @returns {Promise<TfcSimulator>}
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
  /** @type {Map<string, SimWorkspace>} */
  const workspaces = new Map()
  /** @type {Map<string, SimRun>} */
  const runs = new Map()
  let runSequence = 0

  const api = await startRecordingServer({ host: '127.0.0.1', route: routeApi, requests, faults })
  const archivist = await startArchivist({
    ttlMs: options.archivistUrlTtlMs ?? 60_000,
    ranges: options.archivistRanges ?? true,
    requests,
    faults,
    tokenLeaks
  })
  const apiUrl = api.origin
  const { publishTemporary } = archivist
  /** @param {string} id */
  const byRun = id => runs.get(id)
  /** @param {string} id */
  const byPlan = id => [...runs.values()].find(run => run.planId === id)

  // An older TFE knows neither task stages nor their include.
  const taskStages = options.taskStages ?? true
  const postPlan = createPostPlan({
    apiUrl,
    taskStages,
    visibleRun: (role, id) => {
      const run = byRun(id)
      return run && access(role, run) !== 'none' ? run : undefined
    },
    allRuns: () => runs.values(),
    settled: run => run.override !== undefined || currentStep(run) === run.statuses.length - 1
  })
  const planExports = createPlanExports({ byPlan, publishTemporary })
  const { activeExports } = planExports
  const runLists = createRunLists({
    apiUrl,
    runs,
    workspaces,
    listRateLimit: options.listRateLimit ?? false,
    organizationRunList: options.organizationRunList ?? true,
    runResource: run => runResource(run, postPlan),
    activeExports
  })
  const requestRate = createRequestRateLimit()
  /** @type {Route[]} */
  const routes = [
    ...runRoutes({ byRun, taskStages, postPlan, activeExports }),
    ...planRoutes({ byRun, byPlan, publishTemporary, activeExports }),
    ...workspaceRoutes({ apiUrl, workspaces }),
    ...runLists.routes,
    ...configurationVersionRoutes({ runs }),
    ...planExports.routes,
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
    const limited = options.requestRateLimit
      ? requestRate.count(String(req.headers.authorization))
      : undefined
    if (limited) return limited
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

  /** @param {WorkspaceSpec} spec @returns {SimWorkspace} */
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

  /** @param {RunSpec} spec @returns {SimRun} */
  function addRun(spec) {
    const workspace = findOrAddWorkspace(spec.workspace, spec.organization)
    const planJson =
      spec.planJson === undefined || spec.planJson === null ? undefined : loadJson(spec.planJson)
    /** @type {TerraformPlan | undefined} */
    const parsedPlan = planJson === undefined ? undefined : JSON.parse(planJson)
    const { hasChanges: planHasChanges, ...planCounted } = parsedPlan
      ? planCounts(parsedPlan)
      : { add: 0, change: 0, destroy: 0, import: 0, hasChanges: false }
    const counts = { ...planCounted, ...spec.counts }
    const anyCounted = Object.values(counts).some(count => count > 0)
    const hasChanges = spec.hasChanges ?? (parsedPlan ? planHasChanges : anyCounted)
    const statuses = (spec.statuses ?? ['finished']).map(step =>
      normalizeStep(step, spec.operation ?? 'plan_only', hasChanges)
    )
    const terraformVersion = spec.terraformVersion ?? parsedPlan?.terraform_version ?? '1.9.5'
    const errored = statuses.some(step => step.plan === 'errored')
    const sequence = runSequence++
    /** @type {SimRun} */
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
    run.logUrl = archivist.publish(logText, 'text/plain')
    postPlan.attach(run, spec.postPlan)
    runs.set(run.id, run)
    return run
  }

  /** @param {string | SimWorkspace} ref @param {string | undefined} organization */
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
    archivistUrl: archivist.origin,
    tokens: { admin: tokenFor('admin'), read: tokenFor('read') },
    requests,
    tokenLeaks,
    faults,
    addWorkspace,
    addRun,
    setPlanStatus,
    listRequestCount: runLists.requestCount,
    close
  }
}

// ── helpers without simulator state ───────────────────────────────────────────────────────

/** HCP Terraform's 30 requests a second per user (here: per token); refused requests count too. */
function createRequestRateLimit() {
  /** @type {Map<string, number[]>} */
  const timesByToken = new Map()
  return {
    /** @param {string} token @returns {SimResponse | undefined} */
    count(token) {
      const now = Date.now()
      const recent = (timesByToken.get(token) ?? []).filter(time => time > now - 1000)
      recent.push(now)
      timesByToken.set(token, recent)
      if (recent.length <= REQUESTS_PER_SECOND) return undefined
      const resetSeconds = (recent[recent.length - REQUESTS_PER_SECOND - 1] + 1000 - now) / 1000
      return rateLimited(resetSeconds.toFixed(3))
    }
  }
}

function discovery() {
  return { 'tfe.v2': '/api/v2/', 'tfe.v2.1': '/api/v2/', 'tfe.v2.2': '/api/v2/' }
}

/**
 * @param {unknown} redacted @param {TerraformPlan | undefined} parsedPlan
 * @param {object | undefined} providerSchemas
 * @returns {Buffer | undefined}
 */
function redactedFor(redacted, parsedPlan, providerSchemas) {
  if (redacted === null || redacted === false) return undefined
  if (redacted !== undefined) return Buffer.from(loadJson(redacted))
  return parsedPlan
    ? Buffer.from(JSON.stringify(redactPlan(parsedPlan, providerSchemas)))
    : undefined
}

/** A JSON document from an object, JSON text or a file path. @param {unknown} source */
function loadJson(source) {
  if (typeof source !== 'string') return JSON.stringify(source)
  return /^\s*[[{]/.test(source) ? source : readFileSync(source, 'utf8')
}

function randomToken() {
  return `${randomAlphanumeric(14)}.atlasv1.${randomAlphanumeric(60)}`
}

export { fault, on } from './server.mjs'
