// The bench's verdicts and report, from figures made up for each case.
import { describe, expect, it } from '@jest/globals'
import { evaluateTargets, marginalCostGrowth, markdownReport } from '../../scripts/bench/report.mjs'
import type { BenchResults, TargetVerdict } from '../../scripts/bench/report.mjs'

const MB = 1_000_000

/** A size whose action takes `e2eMs`, with floors and memory in proportion to its plan. */
function size(
  resources: number,
  e2eMs: number,
  overrides: Partial<{ jqMs: number; rss: number }> = {}
) {
  const bytes = resources * 2000
  return {
    resources,
    bytes,
    e2e: { wallMs: e2eMs, peakRssBytes: overrides.rss ?? 2 * bytes + 15 * MB },
    node: { wallMs: resources / 50 + 40, peakRssBytes: 3 * bytes },
    jq: { wallMs: overrides.jqMs ?? resources / 20 + 50, peakRssBytes: 7 * bytes }
  }
}

function results(overrides: Partial<BenchResults> = {}): BenchResults {
  return {
    sizes: [size(1000, 60), size(10_000, 240), size(50_000, 1040)],
    waiting: {
      runs: [{}, {}, {}],
      noticedMs: 800,
      requestsPerMinute: 22,
      maxRequestsPerMinute: 26
    },
    startup: { firstRequestMs: 120, samples: [110, 120, 130] },
    bundleBytes: 600_000,
    nodeBaselineRssBytes: 40 * MB,
    repeat: 3,
    machine: '2 × test CPU',
    problems: [],
    ...overrides
  }
}

function verdictOf(targets: TargetVerdict[], namePart: string): boolean | null | undefined {
  return targets.find(target => target.name.includes(namePart))?.met
}

describe('marginalCostGrowth', () => {
  it('is 1 when every added resource costs the same', () => {
    expect(marginalCostGrowth(results().sizes)).toBeCloseTo(1, 5)
  })

  it('grows when the cost per resource grows with the plan (quadratic time)', () => {
    const quadratic = [1000, 10_000, 50_000].map(n => size(n, 50 + n * n * 1e-6))
    expect(marginalCostGrowth(quadratic)).toBeGreaterThan(4)
  })

  it('needs three measured sizes', () => {
    expect(marginalCostGrowth(results().sizes.slice(0, 2))).toBeNaN()
  })
})

describe('evaluateTargets', () => {
  it('meets every target on figures within them', () => {
    const targets = evaluateTargets(results())
    expect(targets.filter(target => target.met !== true)).toEqual(
      // 1k: 3× of a 2 MB plan is less than a bare node process, so that one is not judged.
      [expect.objectContaining({ name: expect.stringContaining('1k: peak RSS'), met: null })]
    )
  })

  it('misses the time targets when the action is slower than the floors', () => {
    const slow = results({
      sizes: [size(1000, 60), size(10_000, 240), size(50_000, 1600, { jqMs: 1500 })]
    })
    const targets = evaluateTargets(slow)
    expect(verdictOf(targets, '50k: end to end ≤ 1.5× node')).toBe(false)
    expect(verdictOf(targets, '50k: end to end faster than jq')).toBe(false)
    expect(verdictOf(targets, '10k: end to end ≤ 1.5× node')).toBe(true)
    expect(verdictOf(targets, 'linear')).toBe(false)
  })

  it('misses the memory target above 3× the plan size', () => {
    const heavy = results({
      sizes: [size(1000, 60), size(10_000, 240), size(50_000, 1040, { rss: 350 * MB })]
    })
    expect(verdictOf(evaluateTargets(heavy), '50k: peak RSS')).toBe(false)
  })

  it('judges waiting, bundle and start-up, and leaves out what was not measured', () => {
    const slowToNotice = results({
      waiting: { runs: [{}], noticedMs: 2400, requestsPerMinute: 45, maxRequestsPerMinute: 60 },
      startup: null,
      bundleBytes: 1_400_000
    })
    const targets = evaluateTargets(slowToNotice)
    expect(verdictOf(targets, 'noticed')).toBe(false)
    expect(verdictOf(targets, 'requests per minute')).toBe(false)
    expect(verdictOf(targets, 'bundle')).toBe(false)
    expect(verdictOf(targets, 'first API request')).toBeUndefined()
    const withoutJq = results({ sizes: results().sizes.map(s => ({ ...s, jq: null })) })
    expect(verdictOf(evaluateTargets(withoutJq), '50k: end to end faster than jq')).toBeNull()
  })
})

describe('markdownReport', () => {
  const report = markdownReport(results())

  it('has a column per size and a row per figure', () => {
    const header = report.split('\n')[0]
    expect(header).toBe('|  | 1k resources | 10k resources | 50k resources |')
    expect(report).toContain('| JSON plan | 2.00 MB | 20.0 MB | 100.0 MB |')
    expect(report).toContain('| action, end to end | 0.06 s | 0.24 s | 1.04 s |')
    expect(report).toContain('| time per resource | 60.0 µs | 24.0 µs | 20.8 µs |')
    expect(report).toContain('| action peak RSS ÷ plan size | 9.50× | 2.75× | 2.15× |')
  })

  it('lists every target with its verdict', () => {
    const targetRows = report.split('\n').filter(line => /\| (MET|NOT MET|n\/a) \|$/.test(line))
    expect(targetRows).toHaveLength(evaluateTargets(results()).length)
    expect(report).toContain('| plan completion noticed ≤ 1.5 s (median) | 0.80 s | MET |')
    expect(report).toContain('| bundle ≤ 1.00 MB | 600 kB | MET |')
    expect(report).not.toContain('did not run correctly')
  })

  it('says how the throughput and waiting figures were measured', () => {
    expect(report).toContain('serves the JSON plan on the first request')
    expect(report).toContain('in the 60 s before its mark')
  })

  it('has a row per plan served with provider schemas, as the targets name them', () => {
    const withSchemas = markdownReport(
      results({
        sizes: [],
        schemaRows: [
          {
            label: '3,000 resources, schemas',
            bytes: 6 * MB,
            e2e: { wallMs: 600, peakRssBytes: 150 * MB },
            node: { wallMs: 400, peakRssBytes: 90 * MB }
          },
          { label: '100 resources, no schemas', bytes: 200_000, e2e: null, node: null }
        ]
      })
    )
    expect(withSchemas).not.toContain('1k resources')
    const rows = withSchemas.split('\n').filter(line => line.includes(' resources, '))
    expect(rows).toEqual([
      '| 3,000 resources, schemas | 6.00 MB | 0.60 s | 0.40 s | 1.50× | 150.0 MB (25.00× the plan) |',
      '| 100 resources, no schemas | 200 kB | n/a | n/a | n/a | n/a (n/a the plan) |'
    ])
  })

  it('lists what went wrong with the action, one line each', () => {
    const broken = markdownReport(
      results({
        problems: ['10k resources: the action exited with 1:\nError: boom', 'waiting run 2: x']
      })
    )
    const tail = broken.trimEnd().split('\n').slice(-3)
    expect(tail).toEqual([
      '**The action did not run correctly** (its figures are left out):',
      '- 10k resources: the action exited with 1',
      '- waiting run 2: x'
    ])
  })
})
