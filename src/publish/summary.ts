// The job summary: Markdown shown on the workflow run's page.
import * as core from '@actions/core'

/** Appends the Markdown to the step's summary; outside a runner (no GITHUB_STEP_SUMMARY) skips. */
export async function writeJobSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.debug('GITHUB_STEP_SUMMARY is not set (not on a runner): no job summary written.')
    return
  }
  await core.summary.addRaw(markdown, true).write()
}
