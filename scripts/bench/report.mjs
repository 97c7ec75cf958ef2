// The bench's verdicts and its Markdown report: pure functions of the measured figures.

/** @typedef {import('./throughput.mjs').Figures} Figures */
/**
 * The measured figures of one plan size.
 * @typedef {Pick<import('./throughput.mjs').SizeResult,
 *   'resources' | 'bytes' | 'e2e' | 'node' | 'jq'>} SizeFigures
 */
/** @typedef {import('./latency.mjs').WaitingResult} WaitingResult */
/** @typedef {import('./latency.mjs').StartupResult} StartupResult */

/**
 * @typedef {object} BenchResults
 * @property {SizeFigures[]} sizes
 * @property {SchemaRow[]} [schemaRows] plans served with provider schemas, and one without
 * @property {Omit<WaitingResult, 'runs' | 'problems'> & { runs: unknown[] } | null} waiting
 * @property {Pick<StartupResult, 'firstRequestMs' | 'samples'> | null} startup
 * @property {number} bundleBytes
 * @property {number} nodeBaselineRssBytes
 * @property {number} repeat
 * @property {string} machine
 * @property {string[]} problems what went wrong with the action; listed under the report
 */

/**
 * One plan served with (or without) provider schemas beside it.
 * @typedef {object} SchemaRow
 * @property {string} label
 * @property {number} bytes the full JSON plan
 * @property {Figures | null} e2e
 * @property {Figures | null} node
 */

/**
 * @typedef {object} TargetVerdict
 * @property {string} name
 * @property {string} measured
 * @property {boolean | null} met null: not measured, or not meaningful at this size
 */

const TARGETS = {
  e2eOverNodeFloor: 1.5,
  e2eOverJq: 1,
  rssOverPlanSize: 3,
  marginalCostGrowth: 1.5,
  noticedMs: 1500,
  requestsPerMinute: 30,
  bundleBytes: 1_000_000,
  firstRequestMs: 200
}

const MB = 1_000_000

/**
 * @param {number} bytes
 * @returns {string}
 */
export function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) return 'n/a'
  if (bytes < MB) return `${(bytes / 1000).toFixed(0)} kB`
  return `${(bytes / MB).toFixed(bytes < 10 * MB ? 2 : 1)} MB`
}

/**
 * @param {number} ms
 * @returns {string}
 */
export function formatSeconds(ms) {
  return Number.isFinite(ms) ? `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s` : 'n/a'
}

/** @param {number} ratio */
function formatRatio(ratio) {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : 'n/a'
}

/** @param {number} perMinute */
function formatRate(perMinute) {
  return Number.isFinite(perMinute) ? `${perMinute.toFixed(1)}/min` : 'n/a'
}

/** @param {number} resources */
function formatCount(resources) {
  return resources >= 1000 && resources % 1000 === 0 ? `${resources / 1000}k` : String(resources)
}

/**
 * Time per resource instance (µs) of the whole run, and the ratios the targets are about.
 * @param {SizeFigures} size
 */
function sizeFigures(size) {
  const e2eMs = size.e2e?.wallMs ?? Number.NaN
  return {
    e2eOverNode: e2eMs / (size.node?.wallMs ?? Number.NaN),
    e2eOverJq: e2eMs / (size.jq?.wallMs ?? Number.NaN),
    rssOverPlan: (size.e2e?.peakRssBytes ?? Number.NaN) / size.bytes,
    microsPerResource: (e2eMs * 1000) / size.resources
  }
}

/**
 * How much more each added resource costs at the largest sizes than at the smallest: the
 * cost of the last step between sizes over that of the first. 1 is perfectly linear.
 * @param {SizeFigures[]} sizes
 * @returns {number}
 */
export function marginalCostGrowth(sizes) {
  const measured = sizes.filter(hasEndToEndTime)
  if (measured.length < 3) return Number.NaN
  const sorted = [...measured].sort((a, b) => a.resources - b.resources)
  /** @type {(a: MeasuredSize, b: MeasuredSize) => number} */
  const stepCost = (a, b) => (b.e2e.wallMs - a.e2e.wallMs) / (b.resources - a.resources)
  const [first, second] = sorted
  const [beforeLast, last] = sorted.slice(-2)
  return stepCost(beforeLast, last) / stepCost(first, second)
}

/** @typedef {SizeFigures & { e2e: Figures }} MeasuredSize */

/**
 * @param {SizeFigures} size
 * @returns {size is MeasuredSize}
 */
function hasEndToEndTime(size) {
  return Number.isFinite(size.e2e?.wallMs)
}

/**
 * `true` met, `false` not met, `null` not measured (or not meaningful).
 * @param {number} value
 * @param {number} limit
 * @returns {boolean | null}
 */
function verdict(value, limit) {
  return Number.isFinite(value) ? value <= limit : null
}

/**
 * Every target with what was measured. The RSS target is not judged for plans so small that
 * three times their size is less than a bare node process takes.
 * @param {BenchResults} results
 * @returns {TargetVerdict[]}
 */
export function evaluateTargets(results) {
  /** @type {TargetVerdict[]} */
  const targets = []
  for (const size of results.sizes) {
    const figures = sizeFigures(size)
    const label = `${formatCount(size.resources)}:`
    targets.push(
      {
        name: `${label} end to end ≤ ${TARGETS.e2eOverNodeFloor}× node JSON.parse floor`,
        measured: formatRatio(figures.e2eOverNode),
        met: verdict(figures.e2eOverNode, TARGETS.e2eOverNodeFloor)
      },
      {
        name: `${label} end to end faster than jq`,
        measured: formatRatio(figures.e2eOverJq),
        met: Number.isFinite(figures.e2eOverJq) ? figures.e2eOverJq < TARGETS.e2eOverJq : null
      }
    )
    const meaningful = TARGETS.rssOverPlanSize * size.bytes >= (results.nodeBaselineRssBytes ?? 0)
    targets.push({
      name: `${label} peak RSS ≤ ${TARGETS.rssOverPlanSize}× plan size`,
      measured: meaningful
        ? formatRatio(figures.rssOverPlan)
        : `${formatRatio(figures.rssOverPlan)} (a bare node process takes ${formatBytes(results.nodeBaselineRssBytes)})`,
      met: meaningful ? verdict(figures.rssOverPlan, TARGETS.rssOverPlanSize) : null
    })
  }
  const growth = marginalCostGrowth(results.sizes)
  targets.push({
    name: `linear in plan size (cost per added resource grows ≤ ${TARGETS.marginalCostGrowth}×)`,
    measured: formatRatio(growth),
    met: verdict(growth, TARGETS.marginalCostGrowth)
  })
  if (results.waiting) {
    targets.push(
      {
        name: `plan completion noticed ≤ ${TARGETS.noticedMs / 1000} s (median)`,
        measured: formatSeconds(results.waiting.noticedMs),
        met: verdict(results.waiting.noticedMs, TARGETS.noticedMs)
      },
      {
        name: `≤ ${TARGETS.requestsPerMinute} API requests per minute while waiting (median)`,
        measured: `${formatRate(results.waiting.requestsPerMinute)} (max ${formatRate(results.waiting.maxRequestsPerMinute)})`,
        met: verdict(results.waiting.requestsPerMinute, TARGETS.requestsPerMinute)
      }
    )
  }
  targets.push({
    name: `bundle ≤ ${formatBytes(TARGETS.bundleBytes)}`,
    measured: formatBytes(results.bundleBytes),
    met: verdict(results.bundleBytes, TARGETS.bundleBytes)
  })
  if (results.startup) {
    targets.push({
      name: `first API request ≤ ${TARGETS.firstRequestMs / 1000} s after start (median)`,
      measured: formatSeconds(results.startup.firstRequestMs),
      met: verdict(results.startup.firstRequestMs, TARGETS.firstRequestMs)
    })
  }
  return targets
}

/** @param {boolean | null} met */
function verdictText(met) {
  if (met === null) return 'n/a'
  return met ? 'MET' : 'NOT MET'
}

/**
 * @param {string[]} header
 * @param {string[][]} rows
 */
function table(header, rows) {
  /** @param {string[]} cells */
  const line = cells => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

/**
 * One row per plan: its size, the action's time and the node floor's, their ratio, peak RSS.
 * @param {SchemaRow[]} rows
 */
function schemaRowsTable(rows) {
  return table(
    ['plan', 'full JSON plan', 'action', 'floor', 'ratio', 'peak RSS'],
    rows.map(row => {
      const actionMs = row.e2e?.wallMs ?? Number.NaN
      const floorMs = row.node?.wallMs ?? Number.NaN
      const rss = row.e2e?.peakRssBytes ?? Number.NaN
      return [
        row.label,
        formatBytes(row.bytes),
        formatSeconds(actionMs),
        formatSeconds(floorMs),
        formatRatio(actionMs / floorMs),
        `${formatBytes(rss)} (${formatRatio(rss / row.bytes)} the plan)`
      ]
    })
  )
}

/**
 * The report: sizes × figures, the targets with their verdicts, and how it was measured.
 * @param {BenchResults} results
 * @returns {string}
 */
export function markdownReport(results) {
  const { sizes } = results
  /** @typedef {'e2e' | 'node' | 'jq'} Part */
  /** @type {(name: string, figure: (size: SizeFigures) => string) => string[]} */
  const row = (name, figure) => [name, ...sizes.map(figure)]
  /** @type {(part: Part, key: keyof Figures) => (size: SizeFigures) => string} */
  const ms = (part, key) => size => formatSeconds(size[part]?.[key] ?? Number.NaN)
  /** @type {(part: Part) => (size: SizeFigures) => string} */
  const rss = part => size => formatBytes(size[part]?.peakRssBytes ?? Number.NaN)
  /** @type {(key: keyof ReturnType<typeof sizeFigures>) => (size: SizeFigures) => number} */
  const figure = key => size => sizeFigures(size)[key]
  const figuresTable = table(
    ['', ...sizes.map(size => `${formatCount(size.resources)} resources`)],
    [
      row('JSON plan', size => formatBytes(size.bytes)),
      row('action, end to end', ms('e2e', 'wallMs')),
      row('node: read + JSON.parse', ms('node', 'wallMs')),
      row('jq: add/change/destroy', ms('jq', 'wallMs')),
      row('end to end ÷ node floor', size => formatRatio(figure('e2eOverNode')(size))),
      row('end to end ÷ jq', size => formatRatio(figure('e2eOverJq')(size))),
      row('time per resource', size => `${figure('microsPerResource')(size).toFixed(1)} µs`),
      row('action peak RSS', rss('e2e')),
      row('node floor peak RSS', rss('node')),
      row('jq peak RSS', rss('jq')),
      row('action peak RSS ÷ plan size', size => formatRatio(figure('rssOverPlan')(size)))
    ]
  )
  const targetsTable = table(
    ['target', 'measured', 'verdict'],
    evaluateTargets(results).map(target => [target.name, target.measured, verdictText(target.met)])
  )
  const notes = [
    `Median of ${results.repeat} runs per size (waiting: ${results.waiting?.runs.length ?? 0} runs, ` +
      `start-up: ${results.startup?.samples.length ?? 0} runs); ${results.machine}.`,
    'End to end = `node dist/index.js` against the loopback HCP Terraform simulator (plan already ' +
      'finished), commenting on a pull request of the GitHub simulator. The simulator serves the ' +
      'JSON plan on the first request: the 204-then-retry HCP Terraform may answer right after a ' +
      "plan finishes is the server's lag, not the action's cost, so it is left out here.",
    'Waiting: the actions start on runs that stay `planning` and are marked finished after ' +
      '65–80 s; requests per minute are those of each action in the 60 s before its mark (a real ' +
      'minute of steady polling, start-up excluded), and "noticed" is the time from the mark to ' +
      'its JSON plan request (median over the runs, measured on the same runs).'
  ]
  const problems = results.problems.length
    ? [
        '',
        '**The action did not run correctly** (its figures are left out):',
        ...results.problems.map(problem => `- ${problem.split('\n')[0].replace(/:$/, '')}`)
      ]
    : []
  const schemaRows = results.schemaRows ?? []
  const schemaSection =
    schemaRows.length === 0
      ? []
      : [
          'With ~10 MB of provider schemas in the redacted plan (floor: node reading and ' +
            '`JSON.parse`-ing the full plan):',
          '',
          schemaRowsTable(schemaRows),
          ''
        ]
  const sizeSection = sizes.length === 0 ? [] : [figuresTable, '']
  return (
    [...sizeSection, ...schemaSection, targetsTable, '', ...notes, ...problems].join('\n') + '\n'
  )
}
