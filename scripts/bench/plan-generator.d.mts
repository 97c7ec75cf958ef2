// Types of plan-generator.mjs for the TypeScript tests (the project compiles no JavaScript).

export interface PlanCounts {
  add: number
  change: number
  destroy: number
  import: number
  replace: number
  move: number
}

export interface GeneratedPlan {
  bytes: number
  resources: number
  counts: PlanCounts
}

export function writeSyntheticPlan(
  filePath: string,
  options: { resources: number; seed?: number }
): GeneratedPlan
