// The text output of a legacy Sentinel policy check, split into one outcome per policy. HCP
// Terraform prints a section per policy: "## Policy 1: name.sentinel (soft-mandatory)", then
// "Result: true|false" and what the policy printed.
import type { PolicyOutcome } from './checks.js'

const POLICY_HEADER = /^## Policy \d+: (.+?) \(([a-z-]+)\)\s*$/
const RESULT_LINE = /^Result: (true|false)\s*$/

export function parseSentinelOutput(text: string): PolicyOutcome[] {
  const outcomes: PolicyOutcome[] = []
  let current: { name: string; enforcement: string; result?: boolean; lines: string[] } | undefined
  const finish = (): void => {
    if (!current) return
    const output = current.lines.join('\n').trim()
    outcomes.push({
      name: current.name,
      // A policy without a result line did not evaluate.
      status: current.result === undefined ? 'errored' : current.result ? 'passed' : 'failed',
      enforcement: current.enforcement,
      output: output === '' ? undefined : output
    })
  }
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const header = POLICY_HEADER.exec(line)
    if (header) {
      finish()
      current = { name: header[1], enforcement: header[2], lines: [] }
      continue
    }
    if (!current) continue
    const result = current.result === undefined ? RESULT_LINE.exec(line) : null
    if (result) current.result = result[1] === 'true'
    else current.lines.push(line)
  }
  finish()
  return outcomes
}
