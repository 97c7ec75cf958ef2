// Each merge gate against real plans: Terraform's own output (plan.txt) says whether it must trip.
import { describe, expect, it } from '@jest/globals'
import * as path from 'node:path'
import { evaluateGates } from '../../src/gates/evaluate.js'
import { buildPlanModel } from '../../src/plan/model.js'
import type { PlanModel } from '../../src/plan/model.js'
import { readJsonPlanFile } from '../../src/plan/parse.js'
import type { FailCondition } from '../../src/result.js'
import { equivalenceCases, jsonPlanFiles, readTerraformText } from './plan-corpus.js'
import type { TerraformText } from './plan-corpus.js'

interface Case {
  name: string
  model: PlanModel
  terraform: TerraformText
}

async function loadCases(): Promise<Case[]> {
  return Promise.all(
    equivalenceCases().map(async ({ name, jsonPath, text }) => ({
      name,
      model: buildPlanModel(await readJsonPlanFile(jsonPath), 'json'),
      terraform: readTerraformText(text)
    }))
  )
}

const trips = (model: PlanModel, condition: FailCondition, protect: string[] = []): boolean =>
  evaluateGates(model, 'finished', condition === 'none' ? [] : [condition], protect).length > 0

/** What Terraform's text says about each gate. */
const ORACLES: Record<string, (terraform: TerraformText) => boolean> = {
  changes: t => t.announcesChanges,
  destroy: t => (t.counts?.destroy ?? 0) > 0,
  replace: t => t.changes.some(c => c.action === 'replace' || c.action === 'create-forget'),
  // Anything Terraform would destroy, replace or forget is at risk under a catch-all pattern.
  protect: t =>
    t.changes.some(c => ['delete', 'replace', 'forget', 'create-forget'].includes(c.action))
}

describe('merge gates on the corpus', () => {
  it('trips each gate exactly where Terraform says so', async () => {
    const cases = await loadCases()
    const report: string[] = []
    for (const [gate, oracle] of Object.entries(ORACLES)) {
      const protect = gate === 'protect' ? ['*'] : []
      const condition = (gate === 'protect' ? 'none' : gate) as FailCondition
      const tripping = cases.filter(c => trips(c.model, condition, protect)).map(c => c.name)
      const expected = cases.filter(c => oracle(c.terraform)).map(c => c.name)
      expect(tripping).toEqual(expected)
      // Each gate has a case that trips it and one that does not.
      expect(tripping.length).toBeGreaterThan(0)
      expect(tripping.length).toBeLessThan(cases.length)
      report.push(`${gate}: ${tripping.join(', ')}`)
    }
    // eslint-disable-next-line no-console -- which corpus case trips which gate
    console.log(`gates corpus, cases that trip each gate:\n${report.join('\n')}`)
  })

  it('trips drift wherever Terraform reports objects changed outside of Terraform', async () => {
    const cases = await loadCases()
    const tripping = cases.filter(c => trips(c.model, 'drift')).map(c => c.name)
    const reported = cases.filter(c => c.terraform.drift.some(d => d.action !== 'no-op'))
    expect(reported.length).toBeGreaterThan(0)
    for (const { name } of reported) expect(tripping).toContain(name)
    expect(tripping.length).toBeLessThan(cases.length)
    // eslint-disable-next-line no-console -- which corpus case trips which gate
    console.log(`gates corpus, drift: ${tripping.join(', ')}`)
  })

  it('trips protect only for matching addresses, including where a resource moved from', async () => {
    const cases = await loadCases()
    const deleted = cases.find(c => c.terraform.changes.some(ch => ch.action === 'delete'))
    expect(deleted).toBeDefined()
    const { model, terraform } = deleted as Case
    const address = terraform.changes.find(ch => ch.action === 'delete')?.address as string
    const [type] = address.split('.')
    expect(trips(model, 'none', [`${type}.*`])).toBe(true)
    expect(trips(model, 'none', [`${address}x`, `x${address}`, 'nothing.*'])).toBe(false)

    const moved = cases.filter(c => c.model.resources.some(r => r.previousAddress))
    expect(moved.length).toBeGreaterThan(0)
    for (const c of moved) {
      // The corpus moves only update or leave alone: nothing is at risk under either address.
      const previous = c.model.resources.flatMap(r =>
        r.previousAddress ? [r.previousAddress] : []
      )
      expect(trips(c.model, 'none', previous)).toBe(false)
    }
    // eslint-disable-next-line no-console -- which corpus case trips which gate
    console.log(`gates corpus, protect ${type}.*: ${deleted?.name}`)
  })

  it('trips errored on the errored plan of the corpus and on no other', async () => {
    const files = jsonPlanFiles()
    const tripping: string[] = []
    for (const file of files) {
      const plan = await readJsonPlanFile(file).catch(() => undefined)
      if (!plan) continue
      if (trips(buildPlanModel(plan, 'json'), 'errored')) tripping.push(path.basename(file))
    }
    expect(tripping).toEqual(['plan-error.json'])
    // eslint-disable-next-line no-console -- which corpus case trips which gate
    console.log(`gates corpus, errored: ${tripping.join(', ')}`)
  })
})
