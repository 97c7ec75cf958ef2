// The message of anything thrown: code may throw values that are not Errors.

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
