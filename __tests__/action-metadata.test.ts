// action.yml as the Marketplace and the runner read it: only known keys, every input and output
// described, the node24 runtime and the committed bundle as its entry point.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { ACTION_YML_PATH, readActionYml } from './helpers/action-yml.js'

// The metadata syntax for actions (docs.github.com, "Metadata syntax for GitHub Actions").
const TOP_LEVEL_KEYS = ['name', 'author', 'description', 'inputs', 'outputs', 'runs', 'branding']
const INPUT_KEYS = ['description', 'required', 'default', 'deprecationMessage']
const BRANDING_COLORS = [
  'white',
  'black',
  'yellow',
  'blue',
  'green',
  'orange',
  'red',
  'purple',
  'gray-dark'
]
const MARKETPLACE_DESCRIPTION_LIMIT = 125

interface ActionYml {
  name?: unknown
  description?: unknown
  inputs?: Record<string, Record<string, unknown>>
  outputs?: Record<string, Record<string, unknown>>
  runs?: Record<string, unknown>
  branding?: Record<string, unknown>
}

const text = fs.readFileSync(ACTION_YML_PATH, 'utf8')
const action = parse(text) as ActionYml

function described(entry: Record<string, unknown> | null | undefined): boolean {
  return typeof entry?.description === 'string' && entry.description.trim().length > 0
}

describe('action.yml', () => {
  it('has only the keys of the metadata syntax, with a name and a description', () => {
    expect(TOP_LEVEL_KEYS).toEqual(expect.arrayContaining(Object.keys(action)))
    expect(typeof action.name).toBe('string')
    expect(typeof action.description).toBe('string')
  })

  it('has a description the Marketplace accepts (under 125 characters)', () => {
    expect(String(action.description).length).toBeLessThan(MARKETPLACE_DESCRIPTION_LIMIT)
  })

  it('describes every input, with only the keys an input may have', () => {
    const inputs = Object.entries(action.inputs ?? {})
    expect(inputs.length).toBeGreaterThan(0)
    for (const [name, input] of inputs) {
      expect({ name, described: described(input) }).toEqual({ name, described: true })
      expect(INPUT_KEYS).toEqual(expect.arrayContaining(Object.keys(input)))
    }
  })

  it('describes every output', () => {
    const outputs = Object.entries(action.outputs ?? {})
    expect(outputs.length).toBeGreaterThan(0)
    for (const [name, output] of outputs) {
      expect({ name, described: described(output) }).toEqual({ name, described: true })
    }
  })

  it('runs the bundle on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
    const main = path.join(path.dirname(ACTION_YML_PATH), 'dist', 'index.js')
    expect(fs.existsSync(main)).toBe(true)
  })

  it('has Marketplace branding: a Feather icon name and one of the allowed colours', () => {
    expect(action.branding?.icon).toEqual(expect.stringMatching(/^[a-z0-9]+(-[a-z0-9]+)*$/))
    expect(BRANDING_COLORS).toContain(action.branding?.color)
  })

  it("is read the same by the tests' own reader (names, order and defaults)", () => {
    const ours = readActionYml(text)
    const defaults = Object.entries(action.inputs ?? {}).map(([name, input]) => [
      name,
      input.default === undefined ? undefined : String(input.default)
    ])
    expect([...ours.inputs]).toEqual(defaults)
    expect(ours.outputs).toEqual(Object.keys(action.outputs ?? {}))
  })
})
