// Types of floors.mjs for the TypeScript tests (the project compiles no JavaScript).
import type { Measurement } from './measure.mjs'

export const JQ_COUNTS_FILTER: string
export function measureNodeParse(planPath: string): Promise<Measurement>
export function measureJqCounts(
  planPath: string
): Promise<Measurement & { counts: { add: number; change: number; destroy: number } }>
export function measureBareNodeRss(runs?: number): Promise<number>
