// The simulator's post-plan part: run task stages and results, policy evaluations and policy-set
// outcomes, legacy Sentinel policy checks and the cost estimate, as HashiCorp's API documentation
// (runs, run task stages and results, policy evaluations, policy checks, cost estimates) and go-tfe
// describe them. tfc.mjs wires it in; it keeps no state of its own but what
// it attaches to each run.
import { document, notFound, paginate } from './jsonapi.mjs'
import { randomId, route } from './tfc-model.mjs'

/** Statuses shown until the run reaches its last status step; the spec's afterwards. */
const STILL_GOING = {
  stage: 'running',
  task: 'running',
  evaluation: 'running',
  policyCheck: 'queued',
  cost: 'queued'
}

/**
 * @typedef {import('./tfc-model.mjs').SimRun} SimRun
 * @typedef {import('./tfc-model.mjs').TokenRole} TokenRole
 * @typedef {import('./tfc-model.mjs').Route} Route
 */

/**
 * One policy's outcome inside a policy-set outcome, with the API's snake_case keys.
 * @typedef {object} PolicyOutcomeSpec
 * @property {string} policy_name
 * @property {'passed' | 'failed' | 'errored'} status
 * @property {'advisory' | 'mandatory'} enforcement_level
 * @property {string} [description]
 * @property {string} [query]
 * @property {{ print: string }[]} [output]
 */

/**
 * @typedef {object} TaskResultSpec
 * @property {string} name
 * @property {string} status
 * @property {'advisory' | 'mandatory'} [enforcement]
 * @property {string} [message]
 * @property {string} [url]
 */

/**
 * @typedef {object} PolicySetSpec
 * @property {string} name
 * @property {string} [description]
 * @property {boolean} [overridable]
 * @property {string} [error]
 * @property {PolicyOutcomeSpec[]} [outcomes]
 */

/**
 * @typedef {object} PolicyEvaluationSpec
 * @property {'opa' | 'sentinel'} [kind]
 * @property {string} [status]
 * @property {PolicySetSpec[]} [policySets]
 */

/**
 * @typedef {object} TaskStageSpec
 * @property {'pre_plan' | 'post_plan' | 'pre_apply' | 'post_apply'} [stage]
 * @property {string} [status]
 * @property {TaskResultSpec[]} [taskResults]
 * @property {PolicyEvaluationSpec[]} [policyEvaluations]
 */

/**
 * Legacy Sentinel policy check; `output` is served at /policy-checks/:id/output.
 * @typedef {object} PolicyCheckSpec
 * @property {string} status
 * @property {string} [scope]
 * @property {string} output
 * @property {Record<string, unknown>} [result]
 */

/**
 * Decimal strings, as HCP Terraform reports them.
 * @typedef {object} CostEstimateSpec
 * @property {string} [status]
 * @property {string} [prior]
 * @property {string} [proposed]
 * @property {string} [delta]
 * @property {number} [matched]
 * @property {number} [unmatched]
 * @property {string} [errorMessage]
 */

/**
 * A run's post-plan work. Every status given is the final one: until the run reaches its last
 * status step, stages and results show running, estimates and checks queued.
 * @typedef {object} PostPlanSpec
 * @property {TaskStageSpec[]} [taskStages]
 * @property {PolicyCheckSpec[]} [policyChecks] legacy Sentinel policy checks; `output` is served
 *   at /policy-checks/:id/output
 * @property {CostEstimateSpec} [costEstimate] decimal strings, as HCP Terraform reports them
 */

/** @typedef {TaskResultSpec & { id: string, stage: string }} TaskResult */
/** @typedef {PolicySetSpec & { id: string, evaluationId: string, outcomes: PolicyOutcomeSpec[] }} PolicySetOutcome */
/**
 * @typedef {object} PolicyEvaluation
 * @property {string} id
 * @property {string} stageId
 * @property {'opa' | 'sentinel'} kind
 * @property {string} status
 * @property {PolicySetOutcome[]} policySets
 */
/**
 * @typedef {object} TaskStage
 * @property {string} id
 * @property {string} stage
 * @property {string} status
 * @property {TaskResult[]} taskResults
 * @property {PolicyEvaluation[]} policyEvaluations
 */
/** @typedef {PolicyCheckSpec & { id: string }} PolicyCheck */
/** @typedef {CostEstimateSpec & { id: string }} CostEstimate */

/**
 * The post-plan work attached to a run, with the IDs assigned.
 * @typedef {object} PostPlan
 * @property {TaskStage[]} taskStages
 * @property {PolicyCheck[]} policyChecks
 * @property {CostEstimate} [costEstimate]
 */

/** @typedef {ReturnType<typeof createPostPlan>} PostPlanApi */

/**
 * @param {{
 *   apiUrl: string,
 *   taskStages: boolean,
 *   visibleRun: (role: TokenRole, id: string) => SimRun | undefined,
 *   allRuns: () => Iterable<SimRun>,
 *   settled: (run: SimRun) => boolean
 * }} deps
 */
export function createPostPlan({ apiUrl, taskStages, visibleRun, allRuns, settled }) {
  /**
   * @template {{ id: string }} T
   * @param {(run: SimRun) => T[]} list @param {string} id
   * @returns {{ run: SimRun, item: T } | undefined}
   */
  const find = (list, id) => {
    for (const run of allRuns()) {
      const item = list(run).find(candidate => candidate.id === id)
      if (item) return { run, item }
    }
    return undefined
  }
  /** @param {SimRun} run @returns {TaskStage[]} */
  const stagesOf = run => run.postPlan?.taskStages ?? []
  /** @param {SimRun} run */
  const resultsOf = run => stagesOf(run).flatMap(s => s.taskResults)
  /** @param {SimRun} run */
  const evaluationsOf = run => stagesOf(run).flatMap(s => s.policyEvaluations)
  /** @param {SimRun} run */
  const outcomesOf = run => evaluationsOf(run).flatMap(e => e.policySets)
  /** @param {SimRun} run @returns {PolicyCheck[]} */
  const checksOf = run => run.postPlan?.policyChecks ?? []
  /** @param {SimRun} run */
  const costOf = run => (run.postPlan?.costEstimate ? [run.postPlan.costEstimate] : [])

  /**
   * @template {{ id: string }} T
   * @param {TokenRole} role @param {(run: SimRun) => T[]} list @param {string} id
   */
  const visible = (role, list, id) => {
    const found = find(list, id)
    return found && visibleRun(role, found.run.id) ? found : undefined
  }
  /** @param {SimRun} run @param {string} final @param {keyof typeof STILL_GOING} kind */
  const statusOf = (run, final, kind) => (settled(run) ? final : STILL_GOING[kind])

  const stageRoutes = [
    route('GET', '/runs/:id/task-stages', (req, role, id) => {
      const run = visibleRun(role, id)
      if (!run) return notFound()
      return document(
        paginate(
          stagesOf(run).map(s => stageResource(run, s)),
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
          ? found.item.taskResults.map(t => taskResultResource(found.run, t))
          : []),
        ...(includes.includes('policy_evaluations')
          ? found.item.policyEvaluations.map(e => evaluationResource(found.run, e))
          : [])
      ]
      const data = stageResource(found.run, found.item)
      return document(included.length > 0 ? { data, included } : { data })
    }),
    route('GET', '/task-results/:id', (_req, role, id) => {
      const found = visible(role, resultsOf, id)
      return found ? document({ data: taskResultResource(found.run, found.item) }) : notFound()
    }),
    route('GET', '/policy-evaluations/:id', (_req, role, id) => {
      const found = visible(role, evaluationsOf, id)
      return found ? document({ data: evaluationResource(found.run, found.item) }) : notFound()
    }),
    route('GET', '/policy-evaluations/:id/policy-set-outcomes', (req, role, id) => {
      const found = visible(role, evaluationsOf, id)
      if (!found) return notFound()
      const outcomes = found.item.policySets.map(o => outcomeResource(found.run, o))
      return document(paginate(outcomes, req, apiUrl))
    }),
    route('GET', '/policy-set-outcomes/:id', (_req, role, id) => {
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
          checksOf(run).map(c => policyCheckResource(run, c)),
          req,
          apiUrl
        )
      )
    }),
    route('GET', '/policy-checks/:id', (_req, role, id) => {
      const found = visible(role, checksOf, id)
      return found ? document({ data: policyCheckResource(found.run, found.item) }) : notFound()
    }),
    route('GET', '/policy-checks/:id/output', (_req, role, id) => {
      const found = visible(role, checksOf, id)
      if (!found) return notFound()
      const text = settled(found.run) ? found.item.output : ''
      return { status: 200, headers: { 'content-type': 'text/plain' }, body: text }
    }),
    route('GET', '/cost-estimates/:id', (_req, role, id) => {
      const found = visible(role, costOf, id)
      return found ? document({ data: costEstimateResource(found.run, found.item) }) : notFound()
    })
  ]

  /** @param {SimRun} run @param {TaskStage} stage */
  function stageResource(run, stage) {
    return {
      id: stage.id,
      type: 'task-stages',
      attributes: { stage: stage.stage, status: statusOf(run, stage.status, 'stage') },
      relationships: {
        run: { data: { id: run.id, type: 'runs' } },
        'task-results': {
          data: stage.taskResults.map(t => ({
            id: t.id,
            type: 'task-results'
          }))
        },
        'policy-evaluations': {
          data: stage.policyEvaluations.map(e => ({
            id: e.id,
            type: 'policy-evaluations'
          }))
        }
      },
      links: { self: `/api/v2/task-stages/${stage.id}` }
    }
  }

  /** @param {SimRun} run @param {TaskResult} task */
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

  /** @param {SimRun} run @param {PolicyEvaluation} evaluation */
  function evaluationResource(run, evaluation) {
    return {
      id: evaluation.id,
      type: 'policy-evaluations',
      attributes: {
        status: statusOf(run, evaluation.status, 'evaluation'),
        'policy-kind': evaluation.kind,
        'policy-tool-version': evaluation.kind === 'opa' ? '0.61.0' : '0.26.0',
        'result-count': resultCount(evaluation.policySets.flatMap(o => o.outcomes))
      },
      relationships: {
        'policy-attachable': { data: { id: evaluation.stageId, type: 'task-stages' } }
      },
      links: { self: `/api/v2/policy-evaluations/${evaluation.id}` }
    }
  }

  /** @param {SimRun} run @param {PolicySetOutcome} outcome */
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

  /** @param {SimRun} run @param {PolicyCheck} check */
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

  /** @param {SimRun} run @param {CostEstimate} cost */
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
    /** Gives a run its post-plan work from its spec (IDs assigned here). @param {SimRun} run @param {PostPlanSpec | undefined} spec */
    attach(run, spec) {
      if (!spec) return
      run.postPlan = {
        taskStages: (spec.taskStages ?? []).map(stage => {
          const stageId = randomId('ts-')
          return {
            id: stageId,
            stage: stage.stage ?? 'post_plan',
            status: stage.status ?? 'passed',
            taskResults: (stage.taskResults ?? []).map(task => ({
              ...task,
              id: randomId('taskrs-'),
              stage: stage.stage ?? 'post_plan'
            })),
            policyEvaluations: (stage.policyEvaluations ?? []).map(evaluation => {
              const evaluationId = randomId('poleval-')
              return {
                id: evaluationId,
                stageId,
                kind: evaluation.kind ?? 'opa',
                status: evaluation.status ?? 'passed',
                policySets: (evaluation.policySets ?? []).map(set => ({
                  ...set,
                  id: randomId('psout-'),
                  evaluationId,
                  outcomes: set.outcomes ?? []
                }))
              }
            })
          }
        }),
        policyChecks: (spec.policyChecks ?? []).map(check => ({
          ...check,
          id: randomId('polchk-')
        })),
        costEstimate: spec.costEstimate ? { ...spec.costEstimate, id: randomId('ce-') } : undefined
      }
    },
    /** The run's relationships to its post-plan work. @param {SimRun} run */
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
                data: stagesOf(run).map(s => ({
                  id: s.id,
                  type: 'task-stages'
                }))
              }
            }
          : {}),
        'policy-checks': {
          data: checksOf(run).map(c => ({ id: c.id, type: 'policy-checks' }))
        }
      }
    },
    /** What `include=cost_estimate,task_stages` adds. @param {SimRun} run @param {string[]} includes */
    included(run, includes) {
      return [
        ...(includes.includes('cost_estimate')
          ? costOf(run).map(c => costEstimateResource(run, c))
          : []),
        ...(includes.includes('task_stages') ? stagesOf(run).map(s => stageResource(run, s)) : [])
      ]
    }
  }
}

/** @param {PolicyOutcomeSpec[]} list */
function resultCount(list) {
  const failed = (/** @type {string} */ level) =>
    list.filter(o => o.status === 'failed' && o.enforcement_level === level).length
  return {
    'advisory-failed': failed('advisory'),
    'mandatory-failed': failed('mandatory'),
    passed: list.filter(o => o.status === 'passed').length,
    errored: list.filter(o => o.status === 'errored').length
  }
}
