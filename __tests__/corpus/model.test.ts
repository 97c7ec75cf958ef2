// The plan model against Terraform itself: every equivalence case's plan.txt is the oracle.
import { describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { buildPlanModel } from '../../src/plan/model.js'
import type { PlanModel, ResourceChangeModel } from '../../src/plan/model.js'
import type { JsonPlan } from '../../src/plan/types.js'
import {
  parseJsonPlan,
  PlanParseError,
  readJsonPlanFile,
  streamJsonPlanFile
} from '../../src/plan/parse.js'
import { equivalenceCases, jsonPlanFiles, readTerraformText } from './plan-corpus.js'
import type { ListedChange } from './plan-corpus.js'

const cases = equivalenceCases()

async function modelOf(jsonPath: string): Promise<PlanModel> {
  return buildPlanModel(await readJsonPlanFile(jsonPath), 'json')
}

const listed = (change: ListedChange | ResourceChangeModel): string =>
  [change.address, change.deposed, change.previousAddress, change.action].join(' | ')

describe('equivalence cases', () => {
  it('has the whole corpus', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50)
  })

  it("matches Terraform's Plan line, or its verdict that nothing will change", async () => {
    const mismatches: string[] = []
    for (const { name, jsonPath, text } of cases) {
      const model = await modelOf(jsonPath)
      const terraform = readTerraformText(text)
      const { import: imports, add, change, destroy } = model.counts
      const agrees = terraform.planLine
        ? model.summaryLine === terraform.planLine &&
          JSON.stringify({ import: imports, add, change, destroy }) ===
            JSON.stringify(terraform.counts) &&
          model.hasChanges
        : model.hasChanges === terraform.announcesChanges
      if (!agrees) {
        mismatches.push(
          `${name}: Terraform "${terraform.planLine ?? 'no Plan line'}", model "${model.summaryLine}" hasChanges=${model.hasChanges}`
        )
      }
    }
    // eslint-disable-next-line no-console -- the corpus figure belongs in the test output
    console.log(
      `model corpus: ${cases.length - mismatches.length}/${cases.length} equivalence cases match Terraform's Plan line`
    )
    expect(mismatches).toEqual([])
  })

  it.each(cases.map(c => [c.name, c] as const))(
    '%s: every resource Terraform lists has the same action in the model',
    async (_, { jsonPath, text }) => {
      const model = await modelOf(jsonPath)
      const terraform = readTerraformText(text)
      if (terraform.planLine) expect(terraform.changes.length).toBeGreaterThan(0)
      expect(model.resources.map(listed)).toEqual(terraform.changes.map(listed))
      // Terraform shows only the drift relevant to the plan; the model keeps all of it.
      for (const shown of terraform.drift.filter(d => d.action !== 'no-op')) {
        expect(model.drift.map(listed)).toContain(listed(shown))
      }
    }
  )
})

describe('every JSON plan of the corpus', () => {
  const files = [...jsonPlanFiles(), ...cases.map(c => c.jsonPath)]

  it.each(files.map(file => [path.relative(path.dirname(path.dirname(file)), file), file]))(
    '%s reads the same streamed and parsed whole',
    async (_, file) => {
      const settle = async (read: () => unknown): Promise<unknown> => {
        try {
          return await read()
        } catch (error) {
          return error
        }
      }
      const parsed = await settle(() => parseJsonPlan(fs.readFileSync(file, 'utf8')))
      const streamed = await settle(() => streamJsonPlanFile(file))
      if (parsed instanceof Error || streamed instanceof Error) {
        // Only the deliberately broken file and the empty `{}` documents of errored cloud runs fail.
        expect(parsed).toBeInstanceOf(PlanParseError)
        expect(streamed).toBeInstanceOf(PlanParseError)
        const broken = path.basename(file) === 'invalid.json'
        if (!broken) expect(fs.readFileSync(file, 'utf8').trim()).toBe('{}')
        const expected = broken ? /not valid JSON/ : /not a Terraform plan/
        expect((parsed as Error).message).toMatch(expected)
        expect((streamed as Error).message).toMatch(expected)
        return
      }
      expect(streamed).toEqual(parsed)
      const source = file.includes('plan-redacted') ? 'redacted-json' : 'json'
      const model = buildPlanModel(streamed as JsonPlan, source)
      expect(model.summaryLine).toMatch(
        /^Plan: (\d+ to import, )?\d+ to add, \d+ to change, \d+ to destroy\.$/
      )
    }
  )

  it('rejects the malformed file with the byte offset of the problem', async () => {
    const file = jsonPlanFiles().find(f => path.basename(f) === 'invalid.json')
    expect(file).toBeDefined()
    const error = await readJsonPlanFile(file as string).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PlanParseError)
    const offset = (error as PlanParseError).byteOffset as number
    expect((error as Error).message).toContain(`at byte ${offset}`)
    // JSON.parse stops at the same place: the first byte after the prematurely closed top level.
    expect(() => JSON.parse(fs.readFileSync(file as string, 'utf8'))).toThrow(
      new RegExp(`position ${offset}\\b`)
    )
  })

  it('models the errored plan, the checks and the imports of the corpus', async () => {
    const byName = (name: string): string => {
      const file = jsonPlanFiles().find(f => path.basename(f) === name)
      if (!file) throw new Error(`${name} is missing from the corpus`)
      return file
    }
    expect((await modelOf(byName('plan-error.json'))).errored).toBe(true)
    expect((await modelOf(byName('has_checks.json'))).failedChecks).toEqual([])
    const identity = await modelOf(byName('identity.json'))
    expect(identity.counts.import).toBe(1)
    expect(identity.resources[0].importing?.identity).toBeDefined()
    const importOnly = await modelOf(byName('plan-import-config-gen__plan-redacted.json'))
    expect(importOnly.summaryLine).toBe('Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.')
  })
})
