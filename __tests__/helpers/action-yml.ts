// action.yml's inputs and outputs, read the one way every test reads them.
import fs from 'node:fs'
import { fileURLToPath } from 'node:url'

export const ACTION_YML_PATH = fileURLToPath(new URL('../../action.yml', import.meta.url))
export const README_PATH = fileURLToPath(new URL('../../README.md', import.meta.url))

export interface ActionMetadata {
  /** Input name → its default as written (quotes removed), or undefined. */
  inputs: Map<string, string | undefined>
  outputs: string[]
}

export function readActionYml(text = fs.readFileSync(ACTION_YML_PATH, 'utf8')): ActionMetadata {
  const section = (name: string): string => {
    const start = text.indexOf(`\n${name}:\n`)
    const end = text.slice(start + 1).search(/\n\S/)
    return end < 0 ? text.slice(start) : text.slice(start, start + 1 + end)
  }
  const entries = (block: string): [string, string][] =>
    [...block.matchAll(/^ {2}([a-z0-9-]+):\n((?:^ {4}.*\n?)*)/gm)].map(([, name, body]) => [
      name,
      body
    ])
  const inputs = new Map(
    entries(section('inputs')).map(([name, body]) => {
      const raw = /^ {4}default: (.*)$/m.exec(body)?.[1]
      return [name, raw?.replace(/^'(.*)'$/, '$1').replace(/''/g, "'")] as const
    })
  )
  const outputs = entries(section('outputs')).map(([name]) => name)
  return { inputs, outputs }
}
