// The bench's jq floor must compute the same counts as Terraform's `Plan:` line, or comparing
// the action's time with it would be comparing different work.
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { measureJqCounts } from '../../scripts/bench/floors.mjs'
import { commandExists } from '../../scripts/bench/measure.mjs'
import { CORPUS } from './plan-corpus.js'

const EQUIVALENCE = path.join(CORPUS, 'equivalence')
const cases = readdirSync(EQUIVALENCE).sort()

/** Terraform prints no `Plan:` line when there is nothing to add, change or destroy. */
function terraformCounts(planText: string) {
  const line =
    /^Plan: (?:\d+ to import, )?(\d+) to add, (\d+) to change, (\d+) to destroy\.$/m.exec(planText)
  const [add, change, destroy] = line ? line.slice(1).map(Number) : [0, 0, 0]
  return { add, change, destroy }
}

describe('the jq floor on the equivalence corpus (needs jq)', () => {
  it('has jq to run', () => {
    expect(commandExists('jq')).toBe(true)
  })

  it.each(cases)('%s: counts as plan.txt says', async name => {
    const expected = terraformCounts(readFileSync(path.join(EQUIVALENCE, name, 'plan.txt'), 'utf8'))
    const { counts } = await measureJqCounts(path.join(EQUIVALENCE, name, 'plan.json'))
    expect(counts).toEqual(expected)
  })
})
