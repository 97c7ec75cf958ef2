/** The `json-output-redacted` shape of a `terraform show -json` plan, with these provider schemas. */
export function redactPlan(plan: unknown, providerSchemas?: object): Record<string, unknown>
