// The simulator's post-plan part: run task stages and results, policy evaluations and policy-set
// outcomes, legacy Sentinel policy checks and the cost estimate, as HashiCorp's API documentation
// (runs, run task stages and results, policy evaluations, policy checks, cost estimates) and go-tfe
// describe them. tfc.mjs wires it in; it keeps no state of its own but what
// it attaches to each run.
import { randomBytes } from 'node:crypto'
import { document, notFound, paginate } from './jsonapi.mjs'

/** Statuses shown until the run reaches its last status step; the spec's afterwards. */
const STILL_GOING = {
  stage: 'running',
  task: 'running',
  evaluation: 'running',
  policyCheck: 'queued',
  cost: 'queued'
}

/**
 * @typedef {import('./jsonapi.mjs').SimResponse} SimResponse
 * @typedef {import('./server.mjs').RecordedRequest} RecordedRequest
 */

/**
 * @param {{
 *   apiUrl: string,
 *   taskStages: boolean,
 *   route: (method: string, pattern: string, handler: (req: RecordedRequest, role: any, ...params: string[]) => SimResponse) => any,
 *   visibleRun: (role: any, id: string) => any,
 *   allRuns: () => Iterable<any>,
 *   settled: (run: any) => boolean
 * }} deps
 */
export function createPostPlan({ apiUrl, taskStages, route, visibleRun, allRuns, settled }) {
  /** @param {(run: any) => any[]} list @param {string} id */
  const find = (list, id) => {
    for (const run of allRuns()) {
      const item = list(run).find(candidate => candidate.id === id)
      if (item) return { run, item }
    }
    return undefined
  }
  const stagesOf = (/** @type {any} */ run) => run.postPlan?.taskStages ?? []
  const resultsOf = (/** @type {any} */ run) =>
    stagesOf(run).flatMap((/** @type {any} */ s) => s.taskResults)
  const evaluationsOf = (/** @type {any} */ run) =>
    stagesOf(run).flatMap((/** @type {any} */ s) => s.policyEvaluations)
  const outcomesOf = (/** @type {any} */ run) =>
    evaluationsOf(run).flatMap((/** @type {any} */ e) => e.policySets)
  const checksOf = (/** @type {any} */ run) => run.postPlan?.policyChecks ?? []
  const costOf = (/** @type {any} */ run) =>
    run.postPlan?.costEstimate ? [run.postPlan.costEstimate] : []

  /** @param {any} role @param {(run: any) => any[]} list @param {string} id */
  const visible = (role, list, id) => {
    const found = find(list, id)
    return found && visibleRun(role, found.run.id) ? found : undefined
  }
  /** @param {any} run @param {string} final @param {keyof typeof STILL_GOING} kind */
  const statusOf = (run, final, kind) => (settled(run) ? final : STILL_GOING[kind])

  const stageRoutes = [
    route('GET', '/runs/:id/task-stages', (req, role, id) => {
      const run = visibleRun(role, id)
      if (!run) return notFound()
      return document(
        paginate(
          stagesOf(run).map((/** @type {any} */ s) => stageResource(run, s)),
          req,
          apiUrl
        )
      )
    }),
    route('GET', '/task-stages/:id', (req, role, id) => {
      const found = visible(role, stagesOf, id)
      if (!found) return notFound()
      const includes = String(req.query.include ?? '').split(',')
      const included = [
        ...(includes.includes('task_results')
          ? found.item.taskResults.map((/** @type {any} */ t) => taskResultResource(found.run, t))
          : []),
        ...(includes.includes('policy_evaluations')
          ? found.item.policyEvaluations.map((/** @type {any} */ e) =>
              evaluationResource(found.run, e)
            )
          : [])
      ]
      const data = stageResource(found.run, found.item)
      return document(included.length > 0 ? { data, included } : { data })
    }),
    route('GET', '/task-results/:id', (req, role, id) => {
      const found = visible(role, resultsOf, id)
      return found ? document({ data: taskResultResource(found.run, found.item) }) : notFound()
    }),
    route('GET', '/policy-evaluations/:id', (req, role, id) => {
      const found = visible(role, evaluationsOf, id)
      return found ? document({ data: evaluationResource(found.run, found.item) }) : notFound()
    }),
    route('GET', '/policy-evaluations/:id/policy-set-outcomes', (req, role, id) => {
      const found = visible(role, evaluationsOf, id)
      if (!found) return notFound()
      const outcomes = found.item.policySets.map((/** @type {any} */ o) =>
        outcomeResource(found.run, o)
      )
      return document(paginate(outcomes, req, apiUrl))
    }),
    route('GET', '/policy-set-outcomes/:id', (req, role, id) => {
      const found = visible(role, outcomesOf, id)
      return found ? document({ data: outcomeResource(found.run, found.item) }) : notFound()
    })
  ]
  const routes = [
    ...(taskStages ? stageRoutes : []),
    route('GET', '/runs/:id/policy-checks', (req, role, id) => {
      const run = visibleRun(role, id)
      if (!run) return notFound()
      return document(
        paginate(
          checksOf(run).map((/** @type {any} */ c) => policyCheckResource(run, c)),
          req,
          apiUrl
        )
      )
    }),
    route('GET', '/policy-checks/:id', (req, role, id) => {
      const found = visible(role, checksOf, id)
      return found ? document({ data: policyCheckResource(found.run, found.item) }) : notFound()
    }),
    route('GET', '/policy-checks/:id/output', (req, role, id) => {
      const found = visible(role, checksOf, id)
      if (!found) return notFound()
      const text = settled(found.run) ? found.item.output : ''
      return { status: 200, headers: { 'content-type': 'text/plain' }, body: text }
    }),
    route('GET', '/cost-estimates/:id', (req, role, id) => {
      const found = visible(role, costOf, id)
      return found ? document({ data: costEstimateResource(found.run, found.item) }) : notFound()
    })
  ]

  /** @param {any} run @param {any} stage */
  function stageResource(run, stage) {
    return {
      id: stage.id,
      type: 'task-stages',
      attributes: { stage: stage.stage, status: statusOf(run, stage.status, 'stage') },
      relationships: {
        run: { data: { id: run.id, type: 'runs' } },
        'task-results': {
          data: stage.taskResults.map((/** @type {any} */ t) => ({
            id: t.id,
            type: 'task-results'
          }))
        },
        'policy-evaluations': {
          data: stage.policyEvaluations.map((/** @type {any} */ e) => ({
            id: e.id,
            type: 'policy-evaluations'
          }))
        }
      },
      links: { self: `/api/v2/task-stages/${stage.id}` }
    }
  }

  /** @param {any} run @param {any} task */
  function taskResultResource(run, task) {
    const done = settled(run)
    return {
      id: task.id,
      type: 'task-results',
      attributes: {
        'task-name': task.name,
        status: statusOf(run, task.status, 'task'),
        message: done ? (task.message ?? null) : null,
        url: done ? (task.url ?? null) : null,
        stage: task.stage,
        'is-speculative': run.operation === 'plan_only',
        'task-url': 'https://scanner.example.com/hook',
        'workspace-task-enforcement-level': task.enforcement ?? 'advisory'
      },
      links: { self: `/api/v2/task-results/${task.id}` }
    }
  }

  /** @param {any} run @param {any} evaluation */
  function evaluationResource(run, evaluation) {
    return {
      id: evaluation.id,
      type: 'policy-evaluations',
      attributes: {
        status: statusOf(run, evaluation.status, 'evaluation'),
        'policy-kind': evaluation.kind,
        'policy-tool-version': evaluation.kind === 'opa' ? '0.61.0' : '0.26.0',
        'result-count': resultCount(
          evaluation.policySets.flatMap((/** @type {any} */ o) => o.outcomes)
        )
      },
      relationships: {
        'policy-attachable': { data: { id: evaluation.stageId, type: 'task-stages' } }
      },
      links: { self: `/api/v2/policy-evaluations/${evaluation.id}` }
    }
  }

  /** @param {any} run @param {any} outcome */
  function outcomeResource(run, outcome) {
    const done = settled(run)
    return {
      id: outcome.id,
      type: 'policy-set-outcomes',
      attributes: {
        'policy-set-name': outcome.name,
        'policy-set-description': outcome.description ?? null,
        overridable: outcome.overridable ?? false,
        error: done ? (outcome.error ?? null) : null,
        warnings: [],
        'result-count': resultCount(done ? outcome.outcomes : []),
        outcomes: done ? outcome.outcomes : []
      },
      relationships: {
        'policy-evaluation': { data: { id: outcome.evaluationId, type: 'policy-evaluations' } }
      }
    }
  }

  /** @param {any} run @param {any} check */
  function policyCheckResource(run, check) {
    const status = statusOf(run, check.status, 'policyCheck')
    return {
      id: check.id,
      type: 'policy-checks',
      attributes: {
        status,
        scope: check.scope ?? 'organization',
        result: settled(run) ? check.result : null,
        actions: { 'is-overridable': status === 'soft_failed' },
        permissions: { 'can-override': false },
        'status-timestamps': {}
      },
      relationships: { run: { data: { id: run.id, type: 'runs' } } },
      links: { output: `/api/v2/policy-checks/${check.id}/output` }
    }
  }

  /** @param {any} run @param {any} cost */
  function costEstimateResource(run, cost) {
    const status = statusOf(run, cost.status ?? 'finished', 'cost')
    const finished = status === 'finished'
    return {
      id: cost.id,
      type: 'cost-estimates',
      attributes: {
        status,
        'error-message': cost.errorMessage ?? null,
        'resources-count': (cost.matched ?? 0) + (cost.unmatched ?? 0),
        'matched-resources-count': cost.matched ?? 0,
        'unmatched-resources-count': cost.unmatched ?? 0,
        ...(finished
          ? {
              'prior-monthly-cost': cost.prior,
              'proposed-monthly-cost': cost.proposed,
              'delta-monthly-cost': cost.delta
            }
          : {})
      },
      links: { self: `/api/v2/cost-estimates/${cost.id}` }
    }
  }

  return {
    routes,
    /** Gives a run its post-plan work from its spec (IDs assigned here). @param {any} run @param {any} spec */
    attach(run, spec) {
      if (!spec) return
      run.postPlan = {
        taskStages: (spec.taskStages ?? []).map((/** @type {any} */ stage) => {
          const stageId = randomId('ts-')
          return {
            id: stageId,
            stage: stage.stage ?? 'post_plan',
            status: stage.status ?? 'passed',
            taskResults: (stage.taskResults ?? []).map((/** @type {any} */ task) => ({
              ...task,
              id: randomId('taskrs-'),
              stage: stage.stage ?? 'post_plan'
            })),
            policyEvaluations: (stage.policyEvaluations ?? []).map(
              (/** @type {any} */ evaluation) => {
                const evaluationId = randomId('poleval-')
                return {
                  id: evaluationId,
                  stageId,
                  kind: evaluation.kind ?? 'opa',
                  status: evaluation.status ?? 'passed',
                  policySets: (evaluation.policySets ?? []).map((/** @type {any} */ set) => ({
                    ...set,
                    id: randomId('psout-'),
                    evaluationId,
                    outcomes: set.outcomes ?? []
                  }))
                }
              }
            )
          }
        }),
        policyChecks: (spec.policyChecks ?? []).map((/** @type {any} */ check) => ({
          ...check,
          id: randomId('polchk-')
        })),
        costEstimate: spec.costEstimate ? { ...spec.costEstimate, id: randomId('ce-') } : undefined
      }
    },
    /** The run's relationships to its post-plan work. @param {any} run */
    relationships(run) {
      return {
        'cost-estimate': {
          data: run.postPlan?.costEstimate
            ? { id: run.postPlan.costEstimate.id, type: 'cost-estimates' }
            : null
        },
        ...(taskStages
          ? {
              'task-stages': {
                data: stagesOf(run).map((/** @type {any} */ s) => ({
                  id: s.id,
                  type: 'task-stages'
                }))
              }
            }
          : {}),
        'policy-checks': {
          data: checksOf(run).map((/** @type {any} */ c) => ({ id: c.id, type: 'policy-checks' }))
        }
      }
    },
    /** What `include=cost_estimate,task_stages` adds. @param {any} run @param {string[]} includes */
    included(run, includes) {
      return [
        ...(includes.includes('cost_estimate')
          ? costOf(run).map((/** @type {any} */ c) => costEstimateResource(run, c))
          : []),
        ...(includes.includes('task_stages')
          ? stagesOf(run).map((/** @type {any} */ s) => stageResource(run, s))
          : [])
      ]
    }
  }
}

/** @param {{ outcomes?: any[] } | any[]} outcomes */
function resultCount(outcomes) {
  const list = /** @type {any[]} */ (outcomes)
  const failed = (/** @type {string} */ level) =>
    list.filter(o => o.status === 'failed' && o.enforcement_level === level).length
  return {
    'advisory-failed': failed('advisory'),
    'mandatory-failed': failed('mandatory'),
    passed: list.filter(o => o.status === 'passed').length,
    errored: list.filter(o => o.status === 'errored').length
  }
}

/** @param {string} prefix */
function randomId(prefix) {
  return `${prefix}${randomBytes(8).toString('hex')}`
}
