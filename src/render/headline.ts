// What happens to a resource, in Terraform's own words (internal/command/jsonformat/plan.go,
// resourceChangeComment): "aws_instance.web will be created", "... must be replaced", plus notes.
import type { DeferredChangeModel, ResourceChangeModel } from '../plan/model.js'

/** Words and addresses; addresses are kept apart so the renderer can show them as code. */
export type Phrase = (string | { code: string })[]

export interface Headline {
  /** E.g. [{code: 'aws_instance.web'}, ' will be created']. */
  phrase: Phrase
  /** Terraform's parenthesized notes, e.g. ['(because ', {code: 'aws_instance.web'}, ' is not in configuration)']. */
  notes: Phrase[]
}

/** A planned change, or a change Terraform found made outside of it (drift). */
export type ChangeCause = 'change' | 'drift'

export function describeResourceChange(
  resource: ResourceChangeModel,
  cause: ChangeCause = 'change'
): Headline {
  const subject = displayAddress(resource)
  const notes: Phrase[] = []
  let phrase: Phrase
  let movePrinted = false
  let importPrinted = false

  switch (resource.action) {
    case 'create':
      phrase = [...subject, ' will be created']
      break
    case 'read':
      phrase = [...subject, ' will be read during apply']
      notes.push(...readNotes(resource.actionReason))
      break
    case 'update':
      phrase = [...subject, cause === 'drift' ? ' has changed' : ' will be updated in-place']
      break
    case 'replace':
      phrase = [...subject, replacePhrase(resource.actionReason)]
      break
    case 'create-forget':
      phrase = [...subject, ' must be replaced, but the existing object will not be destroyed']
      notes.push(['(destroy = false is set in the configuration)'])
      break
    case 'forget':
      phrase =
        resource.deposed !== undefined
          ? [...subject, ' will be removed from Terraform state, but will not be destroyed']
          : [...subject, ' will no longer be managed by Terraform, but will not be destroyed']
      if (resource.deposed !== undefined)
        notes.push(['(left over from a partially-failed replacement of this instance)'])
      notes.push(['(destroy = false is set in the configuration)'])
      break
    case 'delete':
      phrase = [...subject, cause === 'drift' ? ' has been deleted' : ' will be destroyed']
      notes.push(...deleteNotes(resource))
      break
    case 'no-op':
      if (resource.previousAddress !== undefined) {
        phrase = [{ code: resource.previousAddress }, ' has moved to ', ...subject]
        movePrinted = true
      } else if (resource.importing) {
        phrase = [...subject, ' will be imported']
        // Terraform shows the ID in the attributes below; a headline alone should still name it.
        if (resource.importing.id) notes.push(['(import ID ', { code: resource.importing.id }, ')'])
        if (resource.change.generated_config) notes.push(['(config will be generated)'])
        importPrinted = true
      } else {
        phrase = [...subject, ' will not change']
      }
      break
  }

  if (resource.previousAddress !== undefined && !movePrinted)
    notes.push(['(moved from ', { code: resource.previousAddress }, ')'])
  if (resource.importing && !importPrinted) {
    const id = resource.importing.id
    notes.push(id ? ['(imported from ', { code: id }, ')'] : ['(will be imported first)'])
  }
  if (resource.importing && resource.action === 'replace')
    notes.push(['Warning: this will destroy the imported resource'])
  return { phrase, notes }
}

/** A change Terraform could not plan yet: "aws_instance.web was deferred (because ...)". */
export function describeDeferredChange(deferred: DeferredChangeModel): Headline {
  return {
    phrase: [...displayAddress(deferred.resource), ' was deferred'],
    notes: [[`(${deferralExplanation(deferred.reason)})`]]
  }
}

function displayAddress(resource: ResourceChangeModel): Phrase {
  return resource.deposed === undefined
    ? [{ code: resource.address }]
    : [{ code: resource.address }, ' (deposed object ', { code: resource.deposed }, ')']
}

function replacePhrase(reason: string | undefined): string {
  switch (reason) {
    case 'replace_because_tainted':
      return ' is tainted, so must be replaced'
    case 'replace_by_request':
      return ' will be replaced, as requested'
    case 'replace_by_triggers':
      return ' will be replaced due to changes in replace_triggered_by'
    default:
      return ' must be replaced'
  }
}

function readNotes(reason: string | undefined): Phrase[] {
  switch (reason) {
    case 'read_because_config_unknown':
      return [['(config refers to values not yet known)']]
    case 'read_because_dependency_pending':
      return [['(depends on a resource or a module with changes pending)']]
    case 'read_because_check_nested':
      return [['(config will be reloaded to verify a check block)']]
    default:
      return []
  }
}

function deleteNotes(resource: ResourceChangeModel): Phrase[] {
  const notes: Phrase[] = []
  const index = instanceKey(resource.address)
  switch (resource.actionReason) {
    case 'delete_because_no_resource_config':
      notes.push([
        '(because ',
        { code: `${resource.type}.${resource.name}` },
        ' is not in configuration)'
      ])
      break
    case 'delete_because_no_move_target':
      notes.push([
        '(because ',
        { code: resource.previousAddress ?? resource.address },
        ' was moved to ',
        { code: resource.address },
        ', which is not in configuration)'
      ])
      break
    case 'delete_because_no_module':
      notes.push([
        '(because ',
        { code: resource.moduleAddress ?? 'its module' },
        ' is not in configuration)'
      ])
      break
    case 'delete_because_wrong_repetition':
      notes.push([
        index === undefined
          ? '(because resource uses count or for_each)'
          : index.startsWith('"')
            ? '(because resource does not use for_each)'
            : '(because resource does not use count)'
      ])
      break
    case 'delete_because_count_index':
      notes.push(['(because index ', { code: `[${index ?? '?'}]` }, ' is out of range for count)'])
      break
    case 'delete_because_each_key':
      notes.push(['(because key ', { code: `[${index ?? '?'}]` }, ' is not in for_each map)'])
      break
  }
  if (resource.deposed !== undefined)
    notes.push(['(left over from a partially-failed replacement of this instance)'])
  return notes
}

/** The instance key at the end of an address (`0` or `"a"` in `x.y[0]`, `x.y["a"]`), if any. */
export function instanceKey(address: string): string | undefined {
  if (!address.endsWith(']')) return undefined
  // Walk the address once, skipping quoted keys, to find where the last bracket opened.
  let open = -1
  let inString = false
  for (let i = 0; i < address.length; i++) {
    const char = address[i]
    if (inString) {
      if (char === '\\') i++
      else if (char === '"') inString = false
    } else if (char === '"') inString = true
    else if (char === '[') open = i
  }
  return open < 0 ? undefined : address.slice(open + 1, -1)
}

function deferralExplanation(reason: string | undefined): string {
  switch (reason) {
    case 'instance_count_unknown':
      return 'because the number of resource instances is unknown'
    case 'resource_config_unknown':
      return 'because the resource configuration is unknown'
    case 'provider_config_unknown':
      return 'because the provider configuration is unknown'
    case 'deferred_prereq':
      return 'because a prerequisite for this resource is deferred'
    case 'absent_prereq':
      return 'because a prerequisite for this resource has not yet been created'
    case 'excluded':
      return 'because the resource was excluded'
    default:
      return 'for an unknown reason'
  }
}
