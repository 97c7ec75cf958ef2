// `npm run bench` as a whole, on small plans and stand-ins for the action: it writes the
// report, and its exit status says whether the action ran correctly.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const BENCH = fileURLToPath(new URL('../../scripts/bench.mjs', import.meta.url))
const fixture = (name: string) =>
  fileURLToPath(new URL(`../fixtures/bench/${name}`, import.meta.url))

let out: string
beforeAll(() => {
  out = mkdtempSync(path.join(tmpdir(), 'bench-cli-test-'))
})
afterAll(() => rmSync(out, { recursive: true, force: true }))

function bench(action: string, ...extra: string[]) {
  // The rows with provider schemas are left out: generating them takes seconds.
  const args = ['--sizes', '100,200,400', '--schema-sizes', '', '--repeat', '1', '--wait-runs', '0']
  args.push('--out', out)
  return spawnSync(process.execPath, [BENCH, '--action', action, ...args, ...extra], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
    timeout: 60_000
  })
}

describe('scripts/bench.mjs', () => {
  it('prints the report, writes it to results.md and exits 0 when the action works', () => {
    const result = bench(fixture('stub-action.mjs'), '--startup-runs', '1')
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    const report = readFileSync(path.join(out, 'results.md'), 'utf8')
    expect(report.split('\n')[0]).toBe('|  | 100 resources | 200 resources | 400 resources |')
    expect(report).toMatch(/\| first API request ≤ 0\.2 s after start \(median\) \| [\d.]+ s \|/)
    expect(result.stdout).toContain(report)
  })

  it('exits 1 and says why when the action fails', () => {
    const result = bench(fixture('failing-action.mjs'), '--startup-runs', '0')
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('The action did not run correctly')
    expect(result.stderr).toContain('boom')
    expect(readFileSync(path.join(out, 'results.md'), 'utf8')).toContain('did not run correctly')
  })

  it('prints its options and does nothing else with --help', () => {
    const result = spawnSync(process.execPath, [BENCH, '--help', '--out', out], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
      timeout: 10_000
    })
    expect(result.status).toBe(0)
    expect(result.stdout).toMatch(/^Usage: npm run bench -- \[options\]/)
    for (const option of ['--action', '--sizes', '--repeat', '--wait-runs', '--startup-runs'])
      expect(result.stdout).toContain(option)
  })

  it('refuses sizes that are not whole numbers', () => {
    const result = bench(fixture('stub-action.mjs'), '--sizes', '1k')
    expect(result.status).toBe(2)
    expect(result.stderr).toMatch(/positive whole numbers/)
  })
})
