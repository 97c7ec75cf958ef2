// The floors the action is compared with: node's JSON.parse and jq counting like Terraform.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  measureBareNodeRss,
  measureJqCounts,
  measureNodeParse
} from '../../scripts/bench/floors.mjs'
import { commandExists } from '../../scripts/bench/measure.mjs'
import { writeSyntheticPlan } from '../../scripts/bench/plan-generator.mjs'

const EVERY_ACTION = fileURLToPath(new URL('../fixtures/bench/every-action.json', import.meta.url))
const itWithJq = commandExists('jq') ? it : it.skip

let dir: string
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'bench-floors-test-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('measureJqCounts (needs jq)', () => {
  itWithJq(
    'counts like Terraform: replaces both ways, no no-op, read, forget or data delete',
    async () => {
      // every-action.json: 2 creates, create-then-forget, 2 replaces, 1 update, 1 delete, and
      // no-op, moved no-op, forget, data read and data delete that do not count.
      const result = await measureJqCounts(EVERY_ACTION)
      expect(result.counts).toEqual({ add: 5, change: 1, destroy: 3 })
      expect(result.peakRssBytes).toBeGreaterThan(0)
    }
  )

  itWithJq('agrees with the counts of a generated plan', async () => {
    const planPath = path.join(dir, 'plan.json')
    const { counts } = writeSyntheticPlan(planPath, { resources: 1500, seed: 3 })
    const result = await measureJqCounts(planPath)
    expect(result.counts).toEqual({
      add: counts.add,
      change: counts.change,
      destroy: counts.destroy
    })
  })
})

describe('measureNodeParse', () => {
  it('reads and parses the plan in a separate node process', async () => {
    const result = await measureNodeParse(EVERY_ACTION)
    expect(result.code).toBe(0)
    expect(result.wallMs).toBeGreaterThan(0)
    expect(result.peakRssBytes).toBeGreaterThan(10_000_000)
  })

  it('fails on a file that is not JSON, so a broken floor cannot pass for a fast one', async () => {
    const broken = path.join(dir, 'broken.json')
    writeFileSync(broken, '{"resource_changes": [')
    await expect(measureNodeParse(broken)).rejects.toThrow(/JSON/)
  })
})

describe('measureBareNodeRss', () => {
  it('is what an idle node process takes: tens of MB', async () => {
    const rss = await measureBareNodeRss(1)
    expect(rss).toBeGreaterThan(10_000_000)
    expect(rss).toBeLessThan(200_000_000)
  })
})
