import fs from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import { README_PATH, readActionYml } from './helpers/action-yml.js'

/** Names in the first column of the Markdown table under `## <heading>`. */
function tableNames(readme: string, heading: string): string[] {
  const start = readme.indexOf(`\n## ${heading}\n`)
  expect(start).toBeGreaterThanOrEqual(0)
  const section = readme.slice(start + 1).split(/\n## /)[0]
  return [...section.matchAll(/^\|\s*`([a-z0-9-]+)`\s*\|/gm)].map(([, name]) => name)
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

  it('leads with a workflow example and a permissions block', () => {
    const usage = readme.indexOf('## Usage')
    expect(usage).toBeGreaterThan(0)
    expect(readme.indexOf('pull-requests: write')).toBeGreaterThan(usage)
    expect(readme).toContain('npm ci && npm test')
    expect(readme).toContain('npm run demo')
  })
})
