// The plan, modelled once. The comment, job summary, outputs and gates all read a PlanModel.
import type { JsonChange, JsonValue } from './types.js'

/** What happens to one resource instance, in Terraform's words. */
export type ResourceAction =
  | 'create'
  | 'update'
  | 'delete'
  | 'replace' // delete-then-create or create-then-delete
  | 'read' // data source read during apply
  | 'forget' // removed from state, object kept
  | 'create-forget' // create then forget (Terraform counts it as an add)
  | 'no-op' // kept only when moved or importing

export interface ResourceChangeModel {
  address: string
  /** Set when the resource has moved from another address. */
  previousAddress?: string
  moduleAddress?: string
  mode: 'managed' | 'data'
  type: string
  name: string
  providerName?: string
  /** Deposed object key, when the change is for a deposed object. */
  deposed?: string
  action: ResourceAction
  /** Raw `actions` array from the plan, for replace ordering. */
  actions: string[]
  /** Terraform's action_reason (open set). */
  actionReason?: string
  /** Present when the resource will be imported. */
  importing?: { id?: string; identity?: JsonValue }
  /** The raw change object, for attribute diffs. Sensitive values are still inside: mask on render. */
  change: JsonChange
}

export interface OutputChangeModel {
  name: string
  action: ResourceAction
  /** The whole output is sensitive (before or after). */
  sensitive: boolean
  change: JsonChange
}

export interface DeferredChangeModel {
  reason?: string
  resource: ResourceChangeModel
}

export interface FailedCheckModel {
  address: string
  status: string
  problems: string[]
}

export interface PlanCounts {
  add: number
  change: number
  destroy: number
  import: number
  replace: number
  move: number
  forget: number
}

/** Where the model's detail came from. */
export type PlanSource =
  | 'json' // full `json-output`
  | 'redacted-json' // `json-output-redacted`
  | 'api-counts' // only the plan's API attributes: no per-resource detail

export interface PlanModel {
  source: PlanSource
  terraformVersion?: string
  formatVersion?: string
  counts: PlanCounts
  /** True when any counted resource change, import, move, forget or output change exists. */
  hasChanges: boolean
  /** Terraform's line: `Plan: [N to import, ]A to add, C to change, D to destroy.` */
  summaryLine: string
  /** Resource changes worth showing, in plan order (no-ops only when moved or importing). */
  resources: ResourceChangeModel[]
  /** Output changes other than no-op. */
  outputs: OutputChangeModel[]
  /** Objects changed outside of Terraform (resource_drift). */
  drift: ResourceChangeModel[]
  deferred: DeferredChangeModel[]
  failedChecks: FailedCheckModel[]
  /** The plan itself says it errored (JSON `errored: true`). */
  errored: boolean
}
