// `npm run local-action`: the action's TypeScript source run by GitHub's local-action against the
// in-repo simulators (about 10 s: local-action compiles the source first).
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { PROJECT_ROOT } from '../test/sim/runner.mjs'

/** A row of local-action's outputs table: │ 3 │ 'name' │ 'value' │ */
function outputRow(printed: string, name: string): string | undefined {
  const table = printed.slice(printed.indexOf('Action Outputs'))
  return new RegExp(`│ '${name}'\\s+│ '(.*?)'\\s+│`).exec(table)?.[1]
}

describe('npm run local-action', () => {
  it('runs src/main.ts, prints the outputs and the comment it posted', () => {
    const result = spawnSync(
      process.execPath,
      [path.join(PROJECT_ROOT, 'scripts', 'local-action.mjs')],
      { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 60_000 }
    )
    const printed = result.stdout
    expect({ code: result.status, stderr: result.stderr }).toEqual({ code: 0, stderr: '' })
    expect(printed).toContain(`Entrypoint`)
    expect(printed).toMatch(/src\/main\.ts/)
    expect(outputRow(printed, 'run-id')).toMatch(/^run-[A-Za-z0-9]{16}$/)
    expect(outputRow(printed, 'status')).toBe('finished')
    const summary = outputRow(printed, 'summary')
    expect(summary).toMatch(/^Plan: \d+ to add, \d+ to change, \d+ to destroy\.$/)
    const commentAt = printed.indexOf('Pull request comment (1 on ')
    expect(commentAt).toBeGreaterThan(0)
    expect(printed.slice(commentAt)).toContain(summary)
  })
})
