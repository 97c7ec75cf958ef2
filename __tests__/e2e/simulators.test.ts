// `npm run simulators` as the self-test workflow uses it: started in the background, it writes
// the SIM_* variables; the action run with them reports what the simulated API says.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { PROJECT_ROOT } from '../../test/sim/runner.mjs'
import { removeStepDirs, runAction } from '../helpers/run-action.js'

const dir = mkdtempSync(path.join(tmpdir(), 'simulators-test-'))
const envFile = path.join(dir, 'simulators.env')
const simulators = spawn(
  process.execPath,
  [path.join(PROJECT_ROOT, 'scripts', 'simulators.mjs'), '--write-env', envFile],
  { stdio: 'ignore' }
)
afterAll(async () => {
  simulators.kill('SIGTERM')
  rmSync(dir, { recursive: true, force: true })
  await removeStepDirs()
})

async function variables(): Promise<Record<string, string>> {
  for (let tries = 0; !existsSync(envFile); tries++) {
    if (tries > 100) throw new Error('the simulators wrote no environment file')
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  return Object.fromEntries(
    readFileSync(envFile, 'utf8')
      .trim()
      .split('\n')
      .map(line => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])
  )
}

describe('npm run simulators', () => {
  it('serves a run that the action, given only the SIM_* inputs, summarizes as the API counts it', async () => {
    const sim = await variables()
    expect(sim.SIM_HOSTNAME).toBe(sim.SIM_TFC_URL)
    const step = await runAction({
      inputs: {
        hostname: sim.SIM_HOSTNAME,
        token: sim.SIM_TOKEN,
        'run-id': sim.SIM_RUN_ID,
        'poll-interval': '1s',
        comment: 'off'
      },
      eventName: 'push'
    })
    expect(step.code).toBe(0)
    expect(step.outputs).toMatchObject({
      'run-id': sim.SIM_EXPECTED_RUN_IDS,
      status: 'finished',
      'has-changes': sim.SIM_EXPECTED_HAS_CHANGES,
      add: sim.SIM_EXPECTED_ADD,
      change: sim.SIM_EXPECTED_CHANGE,
      destroy: sim.SIM_EXPECTED_DESTROY,
      'failed-checks': ''
    })
  })
})
