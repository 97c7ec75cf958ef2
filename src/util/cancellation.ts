// The runner cancels a job with SIGINT, then SIGTERM: stop waiting at once and exit non-zero.
import * as core from '@actions/core'

/** Time left for in-flight work (one GitHub request) before the process exits regardless. */
const GRACE_MS = 3000

export interface Cancellation {
  readonly signal: AbortSignal
  throwIfCancelled(): void
  dispose(): void
}

export function watchCancellation(): Cancellation {
  const controller = new AbortController()
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) return
    core.setFailed(
      `Cancelled by ${name}: stopped waiting; no further comment or output was written.`
    )
    controller.abort(new Error(`Cancelled by ${name}`))
    setTimeout(() => process.exit(1), GRACE_MS).unref()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return {
    signal: controller.signal,
    throwIfCancelled() {
      if (controller.signal.aborted) throw controller.signal.reason
    },
    dispose() {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  }
}
