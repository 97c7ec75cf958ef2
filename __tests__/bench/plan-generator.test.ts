// The bench's synthetic plans must look like Terraform's (so the action does real work on them)
// and their reported counts must be right (the bench checks the action's outputs against them).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { writeSyntheticPlan } from '../../scripts/bench/plan-generator.mjs'
import type { GeneratedPlan } from '../../scripts/bench/plan-generator.mjs'
import type { JsonPlan, JsonResourceChange, JsonValue } from '../../src/plan/types.js'

interface StateResource {
  address: string
  values: Record<string, JsonValue>
  sensitive_values: JsonValue
}
interface StateModule {
  address?: string
  resources?: StateResource[]
  child_modules?: StateModule[]
}
type FullPlan = JsonPlan & {
  planned_values: { root_module: StateModule }
  prior_state: { values: { root_module: StateModule } }
  configuration: { root_module: { resources: unknown[]; module_calls: Record<string, unknown> } }
}

let dir: string
let generated: GeneratedPlan
let plan: FullPlan
const RESOURCES = 2000

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'bench-plan-test-'))
  generated = writeSyntheticPlan(path.join(dir, 'plan.json'), { resources: RESOURCES, seed: 7 })
  plan = JSON.parse(readFileSync(path.join(dir, 'plan.json'), 'utf8'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function stateAddresses(module: StateModule): string[] {
  return [
    ...(module.resources ?? []).map(resource => resource.address),
    ...(module.child_modules ?? []).flatMap(stateAddresses)
  ]
}

function stateResources(module: StateModule): StateResource[] {
  return [...(module.resources ?? []), ...(module.child_modules ?? []).flatMap(stateResources)]
}

const actionsOf = (rc: JsonResourceChange) => rc.change.actions.join(',')

describe('writeSyntheticPlan', () => {
  it('reports the bytes it wrote and the resource instances it asked for', () => {
    expect(generated.bytes).toBe(readFileSync(path.join(dir, 'plan.json')).length)
    const addresses = new Set([
      ...stateAddresses(plan.prior_state.values.root_module),
      ...stateAddresses(plan.planned_values.root_module)
    ])
    expect(addresses.size).toBe(RESOURCES)
  })

  it('reports the counts Terraform would print for the plan', () => {
    const changes = plan.resource_changes ?? []
    const managed = changes.filter(rc => rc.mode === 'managed')
    const tally = (...kinds: string[]) => managed.filter(rc => kinds.includes(actionsOf(rc))).length
    const replaces = tally('delete,create', 'create,delete')
    expect(generated.counts).toEqual({
      add: tally('create') + replaces,
      change: tally('update'),
      destroy: tally('delete') + replaces,
      import: changes.filter(rc => rc.change.importing).length,
      replace: replaces,
      move: changes.filter(rc => rc.previous_address && rc.previous_address !== rc.address).length
    })
  })

  it('mixes every kind of change, with no-op the most common', () => {
    const byActions = new Map<string, number>()
    for (const rc of plan.resource_changes ?? []) {
      byActions.set(actionsOf(rc), (byActions.get(actionsOf(rc)) ?? 0) + 1)
    }
    for (const kind of [
      'no-op',
      'create',
      'update',
      'delete',
      'delete,create',
      'create,delete',
      'read'
    ]) {
      expect(byActions.get(kind)).toBeGreaterThan(0)
    }
    expect(Math.max(...byActions.values())).toBe(byActions.get('no-op'))
    expect(generated.counts.import).toBeGreaterThan(0)
    expect(generated.counts.move).toBeGreaterThan(0)
  })

  it('has the sections that make up most of a real plan', () => {
    expect(plan.format_version).toMatch(/^1\./)
    const sectionBytes = (key: string) =>
      JSON.stringify((plan as unknown as Record<string, unknown>)[key]).length
    const bulk =
      sectionBytes('prior_state') + sectionBytes('planned_values') + sectionBytes('configuration')
    expect(bulk).toBeGreaterThan(generated.bytes * 0.4)
    expect(Object.keys(plan.configuration.root_module.module_calls).length).toBeGreaterThan(10)
    expect(plan.output_changes).toBeDefined()
    expect(plan.resource_drift?.length).toBeGreaterThan(0)
  })

  it('keeps prior_state to what exists before and planned_values to what exists after', () => {
    const prior = new Set(stateAddresses(plan.prior_state.values.root_module))
    const planned = new Set(stateAddresses(plan.planned_values.root_module))
    for (const rc of plan.resource_changes ?? []) {
      const actions = actionsOf(rc)
      expect(prior.has(rc.address)).toBe(!['create', 'read'].includes(actions))
      expect(planned.has(rc.address)).toBe(actions !== 'delete')
    }
  })

  it('uses modules, count and for_each, with module_address matching the address', () => {
    const changes = plan.resource_changes ?? []
    expect(changes.some(rc => typeof rc.index === 'number')).toBe(true)
    expect(changes.some(rc => typeof rc.index === 'string')).toBe(true)
    expect(changes.some(rc => /^module\.[^.]+\["[^"]+"\]\.module\./.test(rc.address))).toBe(true)
    for (const rc of changes) {
      if (rc.module_address) expect(rc.address.startsWith(`${rc.module_address}.`)).toBe(true)
      else expect(rc.address.startsWith('module.')).toBe(false)
    }
    expect(new Set(changes.map(rc => rc.address)).size).toBe(changes.length)
  })

  it('marks sensitive values (present in clear text) and leaves unknown ones out of after', () => {
    const changes = plan.resource_changes ?? []
    const sensitive = changes.find(
      rc => rc.change.before_sensitive && Object.keys(rc.change.before_sensitive).length > 0
    )
    const [secretKey] = Object.keys(sensitive?.change.before_sensitive as object)
    expect(typeof (sensitive?.change.before as Record<string, JsonValue>)[secretKey]).toBe('string')

    const created = changes.filter(rc => actionsOf(rc) === 'create')
    expect(created.length).toBeGreaterThan(0)
    for (const rc of created) {
      const unknown = Object.keys(rc.change.after_unknown as object)
      expect(unknown.length).toBeGreaterThan(0)
      for (const key of unknown) expect(rc.change.after).not.toHaveProperty(key)
    }
    const stateWithSecrets = stateResources(plan.prior_state.values.root_module).filter(
      resource => Object.keys(resource.sensitive_values as object).length > 0
    )
    expect(stateWithSecrets.length).toBeGreaterThan(0)
  })

  it('writes the same plan for the same seed and another for another seed', () => {
    const again = path.join(dir, 'again.json')
    const other = path.join(dir, 'other.json')
    writeSyntheticPlan(again, { resources: RESOURCES, seed: 7 })
    writeSyntheticPlan(other, { resources: RESOURCES, seed: 8 })
    const original = readFileSync(path.join(dir, 'plan.json'))
    expect(readFileSync(again).equals(original)).toBe(true)
    expect(readFileSync(other).equals(original)).toBe(false)
  })

  it('grows linearly, so that 50k resources come out near 90-100 MB', () => {
    const small = writeSyntheticPlan(path.join(dir, 'small.json'), { resources: 500 })
    const large = writeSyntheticPlan(path.join(dir, 'large.json'), { resources: 5000 })
    const perResource = [small, large].map(p => p.bytes / p.resources)
    expect(perResource[1] / perResource[0]).toBeGreaterThan(0.9)
    expect(perResource[1] / perResource[0]).toBeLessThan(1.1)
    const projected50k = perResource[1] * 50_000
    expect(projected50k).toBeGreaterThan(85e6)
    expect(projected50k).toBeLessThan(110e6)
  })
})
