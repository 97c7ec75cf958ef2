import fs from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { ACTION_YML_PATH, README_PATH, readActionYml } from './helpers/action-yml.js'

/** The text under `## <heading>`, up to the next `## ` heading. */
function section(readme: string, heading: string): string {
  const start = readme.indexOf(`\n## ${heading}\n`)
  expect(start).toBeGreaterThanOrEqual(0)
  return readme.slice(start + 1).split(/\n## /)[0]
}

/** Names in the first column of the Markdown table under `## <heading>`. */
function tableNames(readme: string, heading: string): string[] {
  return [...section(readme, heading).matchAll(/^\|\s*`([a-z0-9-]+)`\s*\|/gm)].map(
    ([, name]) => name
  )
}

describe('README', () => {
  const readme = fs.readFileSync(README_PATH, 'utf8')
  const action = readActionYml()

  it('documents exactly the inputs of action.yml, in order', () => {
    expect(action.inputs.size).toBeGreaterThan(15)
    expect(tableNames(readme, 'Inputs')).toEqual([...action.inputs.keys()])
  })

  it('documents exactly the outputs of action.yml, in order', () => {
    expect(action.outputs.length).toBeGreaterThan(15)
    expect(tableNames(readme, 'Outputs')).toEqual(action.outputs)
  })

  it('shows each default as action.yml has it', () => {
    for (const [name, fallback] of action.inputs) {
      const cells = readme
        .split('\n')
        .map(line => line.split('|').map(cell => cell.trim()))
        .find(row => row[1] === `\`${name}\``)
      expect(cells?.[2]).toBe(fallback ? `\`${fallback}\`` : '')
    }
  })

  it('shows each description as action.yml has it, without YAML quoting', () => {
    const metadata = parse(fs.readFileSync(ACTION_YML_PATH, 'utf8')) as Record<
      'inputs' | 'outputs',
      Record<string, { description: string }>
    >
    for (const [heading, entries] of [
      ['Inputs', metadata.inputs],
      ['Outputs', metadata.outputs]
    ] as const) {
      const rows = section(readme, heading)
        .split('\n')
        .map(line => line.split(/(?<!\\)\|/).map(cell => cell.trim()))
      for (const [name, { description }] of Object.entries(entries)) {
        const row = rows.find(cells => cells[1] === `\`${name}\``)
        expect({ name, description: row?.at(-2) }).toEqual({ name, description })
      }
    }
  })

  it('leads with a workflow example and a permissions block', () => {
    const usage = readme.indexOf('## Usage')
    expect(usage).toBeGreaterThan(0)
    expect(readme.indexOf('pull-requests: write')).toBeGreaterThan(usage)
    expect(readme).toContain('npm ci && npm test')
    expect(readme).toContain('npm run demo')
  })
})
