import { describe, expect, it } from '@jest/globals'
import {
  WaitTimeoutError,
  formatElapsed,
  isFinalPlanStatus,
  pauseAfterPoll,
  waitForPlan
} from '../../src/tfc/wait.js'
import type { StatusSnapshot, WaitOptions } from '../../src/tfc/wait.js'
import { fakeClock } from '../helpers/fake-clock.js'
import { isApplyOver } from '../../src/tfc/run-progress.js'
import { applyWaitingPhrase } from '../../src/apply-stage.js'
import type { FakeClock } from '../helpers/fake-clock.js'

/** Polls that return the given snapshots in turn (the last repeats), recording when they ran. */
function scripted(time: FakeClock, snapshots: StatusSnapshot[]) {
  const times: number[] = []
  let index = 0
  const poll = async (): Promise<StatusSnapshot> => {
    times.push(time.now())
    return snapshots[Math.min(index++, snapshots.length - 1)]
  }
  return { poll, times }
}

function options(time: FakeClock, lines: string[], extra: Partial<WaitOptions> = {}) {
  return {
    timeoutMs: 30 * 60_000,
    maxIntervalMs: 3000,
    clock: time,
    log: (line: string) => lines.push(line),
    ...extra
  }
}

describe('isFinalPlanStatus', () => {
  it.each(['finished', 'errored', 'canceled', 'unreachable'])('%s is final', status => {
    expect(isFinalPlanStatus(status)).toBe(true)
  })
  it.each(['pending', 'queued', 'managed_queued', 'running', 'planned', 'whatever'])(
    '%s is not final',
    status => {
      expect(isFinalPlanStatus(status)).toBe(false)
    }
  )
})

describe('waitForPlan', () => {
  it('follows the plan through its statuses, logging each change once', async () => {
    const time = fakeClock()
    const lines: string[] = []
    const { poll } = scripted(time, [
      { planStatus: 'pending', runStatus: 'pending' },
      { planStatus: 'queued', runStatus: 'plan_queued' },
      { planStatus: 'queued', runStatus: 'plan_queued' },
      { planStatus: 'running', runStatus: 'planning' },
      { planStatus: 'running', runStatus: 'planning' },
      { planStatus: 'finished', runStatus: 'planned' }
    ])
    const result = await waitForPlan(poll, options(time, lines, { label: 'run-1' }))
    expect(result).toEqual({ planStatus: 'finished', runStatus: 'planned' })
    expect(time.sleeps).toEqual([1000, 1500, 2250, 2250, 2250])
    expect(lines).toEqual([
      'run-1: Waiting for the plan to start... (plan status: pending, run status: pending, 0m00s elapsed)',
      'run-1: Waiting for the plan to start... (plan status: queued, run status: plan_queued, 0m01s elapsed)',
      'run-1: Waiting for the plan to finish... (plan status: running, run status: planning, 0m04s elapsed)',
      'run-1: Plan finished (plan status: finished, run status: planned, 0m09s elapsed).'
    ])
  })

  it('stops when the plan is final although the run is still busy (post-plan stages)', async () => {
    const time = fakeClock()
    const { poll, times } = scripted(time, [
      { planStatus: 'running', runStatus: 'planning' },
      { planStatus: 'finished', runStatus: 'post_plan_running' },
      { planStatus: 'finished', runStatus: 'policy_checking' }
    ])
    const result = await waitForPlan(poll, options(time, []))
    expect(result.runStatus).toBe('post_plan_running')
    expect(times).toHaveLength(2)
  })

  it('returns at once when the first poll is already final', async () => {
    const time = fakeClock()
    const lines: string[] = []
    const { poll } = scripted(time, [{ planStatus: 'errored' }])
    await waitForPlan(poll, options(time, lines))
    expect(time.sleeps).toEqual([])
    expect(lines).toEqual(['Plan errored (plan status: errored, 0m00s elapsed).'])
  })

  it('keeps waiting through an unknown status and mentions it once', async () => {
    const time = fakeClock()
    const lines: string[] = []
    const { poll } = scripted(time, [
      { planStatus: 'teleporting' },
      { planStatus: 'teleporting' },
      { planStatus: 'teleporting' },
      { planStatus: 'finished' }
    ])
    const result = await waitForPlan(poll, options(time, lines))
    expect(result.planStatus).toBe('finished')
    expect(lines.filter(line => line.includes('"teleporting" is new'))).toHaveLength(1)
  })

  it('logs a "still waiting" line about every 30 s, not on every poll', async () => {
    const time = fakeClock()
    const lines: string[] = []
    const running = Array.from({ length: 60 }, () => ({
      planStatus: 'running',
      runStatus: 'planning'
    }))
    const { poll, times } = scripted(time, [
      ...running,
      { planStatus: 'finished', runStatus: 'planned' }
    ])
    await waitForPlan(poll, options(time, lines))
    const still = lines.filter(line => line.startsWith('Still waiting for the plan to finish...'))
    const elapsedSeconds = time.now() / 1000
    expect(times.length).toBeGreaterThan(50)
    expect(still.length).toBe(Math.floor(elapsedSeconds / 30))
    expect(still[0]).toMatch(/\(plan status: running, run status: planning, 0m3\ds elapsed\)$/)
  })

  it('fails at the timeout with the last statuses, the elapsed time and what to change', async () => {
    const time = fakeClock()
    const { poll, times } = scripted(time, [{ planStatus: 'queued', runStatus: 'plan_queued' }])
    const waiting = waitForPlan(poll, options(time, [], { timeoutMs: 90_000, label: 'run-abc' }))
    await expect(waiting).rejects.toThrow(WaitTimeoutError)
    await expect(waiting).rejects.toThrow(
      'Timed out after 1m30s waiting for run-abc to finish: the last plan status was "queued" ' +
        'and the run status "plan_queued". Raise the `wait-timeout` input if plans take longer.'
    )
    // The last poll happens at the deadline, not a pause before it.
    expect(times[times.length - 1]).toBe(90_000)
  })

  it('propagates a failing poll', async () => {
    const time = fakeClock()
    const poll = async (): Promise<StatusSnapshot> => {
      throw new Error('HTTP 404')
    }
    await expect(waitForPlan(poll, options(time, []))).rejects.toThrow('HTTP 404')
  })

  it('stops at once when aborted during a pause', async () => {
    const controller = new AbortController()
    const lines: string[] = []
    const poll = async (): Promise<StatusSnapshot> => ({ planStatus: 'running' })
    const started = Date.now()
    const waiting = waitForPlan(poll, {
      timeoutMs: 60_000,
      maxIntervalMs: 60_000,
      log: line => lines.push(line),
      signal: controller.signal
    })
    setTimeout(() => controller.abort(new Error('Cancelled by SIGINT')), 50)
    await expect(waiting).rejects.toMatchObject({
      name: 'AbortError',
      message: 'Stopped waiting for the plan: Cancelled by SIGINT'
    })
    expect(Date.now() - started).toBeLessThan(900)
  })

  it('stops at once when aborted during a poll that hangs', async () => {
    const controller = new AbortController()
    const poll = () => new Promise<StatusSnapshot>(() => undefined)
    const waiting = waitForPlan(poll, {
      timeoutMs: 60_000,
      maxIntervalMs: 3000,
      signal: controller.signal,
      log: () => undefined
    })
    controller.abort()
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('does not poll at all when the signal is already aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    let polls = 0
    const poll = async (): Promise<StatusSnapshot> => {
      polls++
      return { planStatus: 'finished' }
    }
    await expect(
      waitForPlan(poll, { timeoutMs: 1000, maxIntervalMs: 1000, signal: controller.signal })
    ).rejects.toMatchObject({ name: 'AbortError' })
    expect(polls).toBe(0)
  })
})

describe('polling pace with the default 3 s maximum', () => {
  const REQUEST_MS = 150

  /** Runs one wait where the plan queues for `queuedMs`, then runs until `finishAt`. */
  async function simulate(finishAt: number, queuedMs = 4000) {
    const time = fakeClock()
    const times: number[] = []
    const poll = async (): Promise<StatusSnapshot> => {
      time.advance(REQUEST_MS / 2)
      const at = time.now()
      times.push(at)
      time.advance(REQUEST_MS / 2)
      if (at >= finishAt) return { planStatus: 'finished' }
      return { planStatus: at < queuedMs ? 'queued' : 'running' }
    }
    await waitForPlan(poll, options(time, []))
    return { noticedAfter: time.now() - finishAt, times }
  }

  it('notices a finished plan within 1.5 s in the median', async () => {
    const delays: number[] = []
    for (let finishAt = 5000; finishAt < 120_000; finishAt += 173) {
      delays.push((await simulate(finishAt)).noticedAfter)
    }
    delays.sort((a, b) => a - b)
    const median = delays[Math.floor(delays.length / 2)]
    expect(median).toBeLessThanOrEqual(1500)
    // Worst case: it finished just after a poll, so a pause and a poll and a half later.
    expect(Math.max(...delays)).toBeLessThanOrEqual(2250 + 1.5 * REQUEST_MS)
  })

  it('sends at most 30 polls in any 60 s window', async () => {
    const { times } = await simulate(10 * 60_000, 90_000)
    const busiest = Math.max(
      ...times.map(start => times.filter(t => t >= start && t < start + 60_000).length)
    )
    expect(busiest).toBeLessThanOrEqual(30)
    expect(busiest).toBeGreaterThan(20)
  })

  it('grows pauses from 1 s to the maximum while queued and to ¾ of it while running', () => {
    expect([0, 1, 2, 3, 4].map(i => pauseAfterPoll(i, 'queued', 3000))).toEqual([
      1000, 1500, 2250, 3000, 3000
    ])
    expect([0, 1, 2, 3, 4].map(i => pauseAfterPoll(i, 'running', 3000))).toEqual([
      1000, 1500, 2250, 2250, 2250
    ])
    expect(pauseAfterPoll(10, 'queued', 10_000)).toBe(10_000)
    expect(pauseAfterPoll(0, 'queued', 500)).toBe(500)
  })
})

describe('formatElapsed', () => {
  it.each([
    [0, '0m00s'],
    [12_400, '0m12s'],
    [65_000, '1m05s'],
    [3_600_000, '60m00s']
  ])('%i ms is %s', (ms, text) => {
    expect(formatElapsed(ms)).toBe(text)
  })
})

describe('waiting for the apply', () => {
  const applyOptions = (time: FakeClock, lines: string[], timeoutMs = 30 * 60_000) =>
    options(time, lines, {
      timeoutMs,
      isOver: isApplyOver,
      waitingPhrase: applyWaitingPhrase
    })

  it('says "Applying..." through the apply stage and names the run status at the end', async () => {
    const time = fakeClock()
    const lines: string[] = []
    const { poll } = scripted(time, [
      { planStatus: 'running', runStatus: 'planning' },
      { planStatus: 'finished', runStatus: 'apply_queued' },
      { planStatus: 'finished', runStatus: 'applying' },
      { planStatus: 'finished', runStatus: 'applied' }
    ])
    const last = await waitForPlan(poll, applyOptions(time, lines))
    expect(last.runStatus).toBe('applied')
    expect(lines).toEqual([
      'Waiting for the plan to finish... (plan status: running, run status: planning, 0m00s elapsed)',
      'Applying... (plan status: finished, run status: apply_queued, 0m01s elapsed)',
      'Applying... (plan status: finished, run status: applying, 0m02s elapsed)',
      'Run applied (plan status: finished, run status: applied, 0m04s elapsed).'
    ])
  })

  it('keeps waiting for a confirmation, and the timeout carries the last poll', async () => {
    const time = fakeClock()
    const lines: string[] = []
    const paused = { planStatus: 'finished', runStatus: 'planned' }
    const { poll } = scripted(time, [paused])
    const waiting = waitForPlan(poll, applyOptions(time, lines, 60_000))
    const error = (await waiting.catch((caught: unknown) => caught)) as WaitTimeoutError
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect(error.last).toEqual(paused)
    expect(lines[0]).toMatch(/^Waiting for the run to be confirmed\.\.\./)
  })
})
