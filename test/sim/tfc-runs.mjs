// Runs: the run document with its status progression, and GET /runs/:id with the includes HCP
// Terraform supports (an older TFE answers 400 to include=task_stages).
import { document, jsonApiError, notFound } from './jsonapi.mjs'
import { configurationVersionResource, ingressResource } from './tfc-configuration-versions.mjs'
import {
  CONFIRMABLE_RUN_STATUSES,
  DISCARDABLE_RUN_STATUSES,
  FINAL_RUN_STATUSES,
  access,
  advanceAfterPoll,
  observe,
  route,
  splitList
} from './tfc-model.mjs'
import { planResource } from './tfc-plans.mjs'
import { workspaceResource } from './tfc-workspaces.mjs'

/**
 * @typedef {import('./tfc-model.mjs').SimRun} SimRun
 * @typedef {import('./tfc-model.mjs').Route} Route
 * @typedef {import('./tfc-post-plan.mjs').PostPlanApi} PostPlanApi
 */

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

/**
 * @param {{ byRun: (id: string) => SimRun | undefined, taskStages: boolean,
 *   postPlan: PostPlanApi, activeExports: (run: SimRun) => { id: string }[] }} deps
 * @returns {Route[]}
 */
export function runRoutes({ byRun, taskStages, postPlan, activeExports }) {
  const runIncludes = SUPPORTED_RUN_INCLUDES.filter(name => taskStages || name !== 'task_stages')
  return [
    route('GET', '/runs/:id', (req, role, runId) => {
      const run = byRun(runId)
      if (!run || access(role, run) === 'none') return notFound()
      const includes = splitList(req.query.include)
      const unsupported = includes.filter(name => !runIncludes.includes(name))
      if (unsupported.length > 0) {
        return jsonApiError(400, 'Invalid include parameter', `invalid: ${unsupported.join(', ')}`)
      }
      const data = runResource(run, postPlan)
      /** @type {object[]} */
      const included = []
      if (includes.includes('plan')) included.push(planResource(run, activeExports(run)))
      if (includes.includes('workspace')) included.push(workspaceResource(run.workspace))
      if (includes.some(name => name.startsWith('configuration_version'))) {
        included.push(configurationVersionResource(run))
      }
      if (includes.includes('configuration_version.ingress_attributes') && run.ingress) {
        included.push(ingressResource(run, run.ingress))
      }
      if (includes.includes('created_by')) {
        included.push({
          id: run.createdById,
          type: 'users',
          attributes: { username: run.createdBy }
        })
      }
      included.push(...postPlan.included(run, includes))
      advanceAfterPoll(run)
      return document(includes.length > 0 ? { data, included } : { data })
    })
  ]
}

/** @param {SimRun} run @param {PostPlanApi} postPlan */
export function runResource(run, postPlan) {
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
        'is-confirmable':
          run.operation !== 'plan_only' && CONFIRMABLE_RUN_STATUSES.includes(status),
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
      apply: {
        data: { id: run.applyId, type: 'applies' },
        links: { related: `/api/v2/runs/${run.id}/apply` }
      },
      ...postPlan.relationships(run)
    },
    links: { self: `/api/v2/runs/${run.id}` }
  }
}
