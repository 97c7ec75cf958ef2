// JSON:API shapes of the HCP Terraform / TFE API, as far as the action reads them.

export interface JsonApiResource<A = Record<string, unknown>> {
  id: string
  type: string
  attributes?: A
  relationships?: Record<
    string,
    {
      data?: { id: string; type: string } | { id: string; type: string }[] | null
      links?: Record<string, string>
    }
  >
  links?: Record<string, string | null>
}

export interface JsonApiDocument<A = Record<string, unknown>> {
  data: JsonApiResource<A> | JsonApiResource<A>[]
  included?: JsonApiResource[]
  links?: Record<string, string | null>
  meta?: {
    pagination?: {
      'current-page'?: number
      'next-page'?: number | null
      'total-pages'?: number
      'total-count'?: number
    }
  }
}
