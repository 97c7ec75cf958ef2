// The outputs about the apply (`wait-for: apply`): its status, the counts and the root module's
// outputs, never a sensitive one. For several workspaces the worst status and the sums.
import type { WorkspaceResult } from '../result.js'
import { workspaceKey } from '../result.js'
import type { ApplyCounts, ApplyOutcome, ApplyReport } from '../run/apply.js'
import type { JsonValue } from '../plan/json-value.js'

/** Lower is worse: `apply-status` of several workspaces is the worst of them. */
const OUTCOME_RANK: Readonly<Record<ApplyOutcome, number>> = {
  errored: 0,
  canceled: 1,
  discarded: 2,
  'awaiting-override': 3,
  'awaiting-confirmation': 4,
  'nothing-to-apply': 5,
  applied: 6
}

const COUNT_OUTPUTS: Readonly<Record<string, keyof ApplyCounts>> = {
  'applied-add': 'add',
  'applied-change': 'change',
  'applied-destroy': 'destroy',
  'applied-import': 'import'
}

/** Every apply output; all empty when the action did not wait for the apply. */
export function applyOutputs(results: WorkspaceResult[]): Record<string, string> {
  const applied = results.filter(
    (result): result is WorkspaceResult & { apply: ApplyReport } => result.apply !== undefined
  )
  const reports = applied.map(result => result.apply)
  const counts = Object.fromEntries(
    Object.entries(COUNT_OUTPUTS).map(([output, key]) => [
      output,
      reports.length === 0
        ? ''
        : String(reports.reduce((sum, report) => sum + report.counts[key], 0))
    ])
  )
  const outputsOf = (report: ApplyReport): Record<string, JsonValue> =>
    Object.fromEntries(
      report.outputs.flatMap(output => (output.sensitive ? [] : [[output.name, output.value]]))
    )
  const terraformOutputs =
    reports.length === 0
      ? ''
      : JSON.stringify(
          reports.length === 1
            ? outputsOf(reports[0])
            : Object.fromEntries(
                applied.map(result => [workspaceKey(result), outputsOf(result.apply)])
              )
        )
  return {
    'apply-status':
      reports.map(report => report.outcome).sort((a, b) => OUTCOME_RANK[a] - OUTCOME_RANK[b])[0] ??
      '',
    ...counts,
    'terraform-outputs': terraformOutputs
  }
}

/** The apply's entry in `results`: names and outcomes, never an output's value. */
export function summarizeApply(report: ApplyReport | undefined): object | undefined {
  if (report === undefined) return undefined
  return {
    status: report.outcome,
    runStatus: report.runStatus,
    applyId: report.applyId,
    applyStatus: report.applyStatus,
    counts: report.counts,
    resources: report.resources.map(({ address, action, outcome }) => ({
      address,
      action,
      outcome
    })),
    diagnostics: report.diagnostics.map(({ severity, summary, address, filename, line }) => ({
      severity,
      summary,
      address,
      filename,
      line
    })),
    outputs: report.outputs.map(({ name, sensitive }) => ({ name, sensitive })),
    note: report.note
  }
}
