// Terraform's JSON plan format (`terraform show -json`, and the `json-output-redacted` shape).
import type { JsonValue } from './json-value.js'
import type { ProviderSchemas } from './schema.js'

export type { JsonValue }

// Every key is optional: older Terraform versions and omitempty leave many out.

export type ChangeAction = 'no-op' | 'create' | 'read' | 'update' | 'delete' | 'forget'

export interface JsonChange {
  actions: ChangeAction[]
  before?: JsonValue
  after?: JsonValue
  after_unknown?: JsonValue
  before_sensitive?: JsonValue
  after_sensitive?: JsonValue
  replace_paths?: (string | number)[][]
  importing?: { id?: string; identity?: JsonValue; unknown?: boolean }
  generated_config?: string
  before_identity?: JsonValue
  after_identity?: JsonValue
}

export interface JsonResourceChange {
  address: string
  previous_address?: string
  module_address?: string
  mode?: 'managed' | 'data' | string
  type?: string
  name?: string
  index?: JsonValue
  provider_name?: string
  deposed?: string
  action_reason?: string
  change: JsonChange
}

export interface JsonOutputChange extends Omit<JsonChange, 'before_sensitive' | 'after_sensitive'> {
  before_sensitive?: JsonValue
  after_sensitive?: JsonValue
}

export interface JsonDeferredChange {
  reason?: string
  resource_change: JsonResourceChange
}

export interface JsonCheckResult {
  address?: { kind?: string; to_display?: string; [key: string]: JsonValue | undefined }
  status?: 'pass' | 'fail' | 'error' | 'unknown' | string
  instances?: {
    address?: { to_display?: string; [key: string]: JsonValue | undefined }
    status?: string
    problems?: { message?: string }[]
  }[]
}

/** The parts of a JSON plan the action reads; everything else is skipped without being built. */
export interface JsonPlan {
  format_version?: string
  plan_format_version?: string
  terraform_version?: string
  resource_changes?: JsonResourceChange[]
  resource_drift?: JsonResourceChange[]
  output_changes?: Record<string, JsonOutputChange>
  deferred_changes?: JsonDeferredChange[]
  checks?: JsonCheckResult[]
  relevant_attributes?: { resource?: string; attribute?: (string | number)[] }[]
  /** Only in the redacted JSON plan: the schemas of the providers the plan uses. */
  provider_schemas?: ProviderSchemas
  applyable?: boolean
  complete?: boolean
  errored?: boolean
  timestamp?: string
}
