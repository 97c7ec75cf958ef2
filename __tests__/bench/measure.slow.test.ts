// The bench's measurements: wall time and peak RSS of a child, by GNU time or /proc sampling.
import { describe, expect, it } from '@jest/globals'
import {
  commandExists,
  measureCommand,
  median,
  peakRssMethod,
  readVmHwmBytes
} from '../../scripts/bench/measure.mjs'
import type { PeakRssMethod } from '../../scripts/bench/measure.mjs'

const MB = 1_000_000
/** A child that touches `mb` MB of memory, holds it for a moment and exits with `code`. */
function allocating(mb: number, code = 0): string[] {
  return [
    '-e',
    `const b = Buffer.alloc(${mb * MB}, 1); setTimeout(() => process.exit(b[0] === 1 ? ${code} : 99), 100)`
  ]
}

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([5, 1, 3])).toBe(3)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([7])).toBe(7)
    expect(median([])).toBeNaN()
  })
})

describe('commandExists', () => {
  it('tells a runnable command from a missing one', () => {
    expect(commandExists(process.execPath)).toBe(true)
    expect(commandExists('surely-no-such-command-here')).toBe(false)
  })
})

describe('readVmHwmBytes', () => {
  it('reads a live process high-water mark and nothing for a missing one', () => {
    const ours = readVmHwmBytes(process.pid)
    expect(ours).toBeGreaterThanOrEqual(process.memoryUsage().rss * 0.5)
    expect(readVmHwmBytes(2 ** 22 + 12345)).toBeUndefined()
  })
})

const methods: PeakRssMethod[] =
  peakRssMethod() === 'gnu-time' ? ['gnu-time', 'proc-status'] : ['proc-status']

describe.each(methods)('measureCommand with %s', method => {
  it('sees the peak memory of a child that allocates 200 MB', async () => {
    const small = await measureCommand(process.execPath, allocating(1), { method })
    const large = await measureCommand(process.execPath, allocating(200), { method })
    expect(large.code).toBe(0)
    expect(large.peakRssBytes).toBeGreaterThan(200 * MB)
    expect(large.peakRssBytes).toBeLessThan(400 * MB)
    expect((large.peakRssBytes ?? 0) - (small.peakRssBytes ?? 0)).toBeGreaterThan(180 * MB)
  })

  it('passes on the exit code, output and environment, and times the run', async () => {
    const before = Date.now()
    const result = await measureCommand(
      process.execPath,
      ['-e', 'console.log(process.env.BENCH_WORD); setTimeout(() => process.exit(4), 300)'],
      { method, env: { BENCH_WORD: 'hello' } }
    )
    expect(result.code).toBe(4)
    expect(result.stdout.trim()).toBe('hello')
    expect(result.wallMs).toBeGreaterThanOrEqual(300)
    expect(result.wallMs).toBeLessThan(5000)
    expect(result.startedAt).toBeGreaterThanOrEqual(before)
    expect(result.startedAt).toBeLessThanOrEqual(before + result.wallMs)
  })
})

describe.each(methods)('measureCommand with %s and a timeout', method => {
  it('kills a command that runs too long, child processes included', async () => {
    const result = await measureCommand(
      process.execPath,
      ['-e', 'console.log(process.pid); setTimeout(() => {}, 60000)'],
      // Long enough for node to start and print its pid on a loaded machine.
      { method, timeoutMs: 3000 }
    )
    expect(result.timedOut).toBe(true)
    expect(result.code).not.toBe(0)
    expect(result.wallMs).toBeLessThan(10_000)
    const nodePid = Number(result.stdout.trim())
    expect(nodePid).toBeGreaterThan(0)
    expect(() => process.kill(nodePid, 0)).toThrow()
  })
})

describe('measureCommand without memory', () => {
  it('only times the run', async () => {
    const result = await measureCommand(process.execPath, allocating(10), { method: 'none' })
    expect(result.code).toBe(0)
    expect(result.peakRssBytes).toBeUndefined()
    expect(result.wallMs).toBeGreaterThanOrEqual(100)
  })
})
