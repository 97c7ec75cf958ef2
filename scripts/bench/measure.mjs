// Wall time and peak memory of a child process, and the statistics the bench reports.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'

const GNU_TIME = '/usr/bin/time'
const PROC_POLL_MS = 5

/** @typedef {'gnu-time' | 'proc-status' | 'none'} PeakRssMethod */

/**
 * @typedef {object} Measurement
 * @property {number | null} code
 * @property {string | null} signal
 * @property {boolean} timedOut
 * @property {string} stdout
 * @property {string} stderr
 * @property {number} wallMs
 * @property {number | undefined} peakRssBytes
 * @property {number} startedAt `Date.now()` right before the spawn.
 */

/**
 * Middle value (mean of the two middle ones for an even count).
 * @param {number[]} values
 * @returns {number}
 */
export function median(values) {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/**
 * True when `command` can be started (it answers `--version`).
 * @param {string} command
 * @returns {boolean}
 */
export function commandExists(command) {
  return !spawnSync(command, ['--version'], { stdio: 'ignore' }).error
}

/**
 * GNU time reports a child's peak RSS exactly (from the kernel's rusage), so prefer it.
 * @returns {PeakRssMethod}
 */
export function peakRssMethod() {
  const works =
    existsSync(GNU_TIME) &&
    spawnSync(GNU_TIME, ['-f', '%M', 'true'], { stdio: 'ignore' }).status === 0
  return works ? 'gnu-time' : 'proc-status'
}

/**
 * VmHWM ("high water mark") from /proc/<pid>/status, in bytes; undefined once the process is gone.
 * @param {number} pid
 * @returns {number | undefined}
 */
export function readVmHwmBytes(pid) {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) * 1024 : undefined
  } catch {
    return undefined
  }
}

/**
 * Runs `command args` to completion and measures it; `method` 'none' skips the memory
 * measurement (and GNU time's extra exec) where only timing matters. After `timeoutMs` the
 * command is killed, so that a hanging action cannot stall the bench.
 * `startedAt` is `Date.now()` taken right before the spawn, to line up with servers' timestamps.
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, method?: PeakRssMethod,
 *   timeoutMs?: number }} [options]
 * @returns {Promise<Measurement>}
 */
export async function measureCommand(command, args, options = {}) {
  const { env, cwd, method = peakRssMethod(), timeoutMs } = options
  const scratch = mkdtempSync(path.join(tmpdir(), 'bench-measure-'))
  const timeFile = path.join(scratch, 'time.txt')
  try {
    const [file, fileArgs] =
      method === 'gnu-time'
        ? [GNU_TIME, ['-f', '%e %M', '-o', timeFile, command, ...args]]
        : [command, args]
    const startedAt = Date.now()
    const started = performance.now()
    const child = spawn(file, fileArgs, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    const stdout = collect(child.stdout)
    const stderr = collect(child.stderr)
    /** @type {number | undefined} */
    let polledPeak
    // No pid: the command could not be started, and the 'error' event below ends the wait.
    const polling =
      method === 'proc-status' && child.pid !== undefined
        ? pollPeak(child.pid, peak => (polledPeak = peak))
        : null
    let timedOut = false
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true
            if (child.pid !== undefined) killWithChildren(child.pid)
          }, timeoutMs)
    /** @type {Promise<{ code: number | null, signal: NodeJS.Signals | null }>} */
    const exited = new Promise((resolve, reject) => {
      child.on('error', reject)
      child.on('close', (exitCode, exitSignal) => resolve({ code: exitCode, signal: exitSignal }))
    })
    const { code, signal } = await exited.finally(() => clearTimeout(timer))
    const wallMs = performance.now() - started
    await polling?.stop()
    const peakRssBytes = method === 'gnu-time' ? gnuTimePeakBytes(timeFile) : polledPeak
    return {
      code,
      signal,
      timedOut,
      stdout: stdout(),
      stderr: stderr(),
      wallMs,
      peakRssBytes,
      startedAt
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

/**
 * Kills a process, or its children when it has some: GNU time then reaps its child and exits
 * by itself (killing time instead would orphan the child).
 * @param {number} pid
 */
function killWithChildren(pid) {
  /** @type {string[]} */
  let children = []
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean)
  } catch {
    // Not Linux, or the process is already gone.
  }
  for (const target of children.length > 0 ? children.map(Number) : [pid]) {
    try {
      process.kill(target, 'SIGKILL')
    } catch {
      // Already exited.
    }
  }
}

/**
 * GNU time's `%M` is in kilobytes (KiB).
 * @param {string} timeFile
 * @returns {number | undefined}
 */
function gnuTimePeakBytes(timeFile) {
  if (!existsSync(timeFile)) return undefined
  const lines = readFileSync(timeFile, 'utf8').trim().split('\n')
  // A killed child makes GNU time write "Command terminated by signal N" first.
  const kilobytes = Number(lines[lines.length - 1].split(' ')[1])
  return Number.isFinite(kilobytes) ? kilobytes * 1024 : undefined
}

/**
 * @param {number} pid
 * @param {(peakBytes: number) => void} onPeak
 */
function pollPeak(pid, onPeak) {
  let running = true
  const loop = (async () => {
    while (running) {
      const peak = readVmHwmBytes(pid)
      if (peak !== undefined) onPeak(peak)
      await sleep(PROC_POLL_MS)
    }
  })()
  return {
    stop: async () => {
      running = false
      await loop
    }
  }
}

/**
 * @param {import('node:stream').Readable} stream
 * @returns {() => string} the text received so far
 */
function collect(stream) {
  /** @type {Buffer[]} */
  const chunks = []
  stream.on('data', chunk => chunks.push(chunk))
  return () => Buffer.concat(chunks).toString('utf8')
}
