// Reading JSON:API documents of the HCP Terraform / TFE API: resources, relationships, attributes.
import { isRecord } from '../util/is-record.js'
import type { JsonApiDocument, JsonApiResource } from './api-types.js'

/** The document's single resource in "data"; a clear error naming `request` when there is none. */
export function primaryResource(
  document: JsonApiDocument | undefined,
  request: string
): JsonApiResource {
  const data = document?.data
  if (!isRecord(data) || Array.isArray(data) || typeof data.id !== 'string') {
    throw new Error(`${request}: HCP Terraform's answer has no resource in "data".`)
  }
  return data as JsonApiResource
}

/** The resources of a list document ("data" an array); none when the answer is not a list. */
export function listedResources(document: JsonApiDocument | undefined): JsonApiResource[] {
  return Array.isArray(document?.data) ? document.data : []
}

/** The page after this one of a paginated list; undefined or null on the last page. */
export function nextPage(document: JsonApiDocument | undefined): number | null | undefined {
  return document?.meta?.pagination?.['next-page']
}

/** An included resource, if the server sent it with its attributes. */
export function findIncluded(
  document: JsonApiDocument | undefined,
  type: string,
  id: string
): JsonApiResource | undefined {
  return document?.included?.find(
    resource => resource.type === type && resource.id === id && resource.attributes !== undefined
  )
}

export function relatedId(resource: JsonApiResource, name: string): string | undefined {
  const data = resource.relationships?.[name]?.data
  return data && !Array.isArray(data) && typeof data.id === 'string' ? data.id : undefined
}

export function relatedIds(resource: JsonApiResource, name: string): string[] {
  const data = resource.relationships?.[name]?.data
  return Array.isArray(data) ? data.map(item => item.id) : []
}

export function stringAttribute(resource: JsonApiResource, name: string): string | undefined {
  return asString(resource.attributes?.[name])
}

/** A non-empty string, else undefined. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** A finite number, else undefined. */
export function asCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}
