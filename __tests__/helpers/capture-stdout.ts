// @actions/core writes logs, warnings and masks as workflow commands on stdout: tests read them here.
import { jest } from '@jest/globals'

/** Replaces process.stdout.write until jest.restoreAllMocks(); returns what was written. */
export function captureStdout(): string[] {
  const written: string[] = []
  jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    written.push(String(chunk))
    return true
  })
  return written
}
