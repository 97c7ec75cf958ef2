// Synthetic `terraform show -json` plans of any size, shaped like real ones: modules with
// for_each keys and nested modules, count/for_each instances, nested blocks, sensitive and
// unknown values, and the prior_state / planned_values / configuration sections that make up
// most of a real plan's bytes. Deterministic for a seed; written as a stream so a 100 MB plan
// never has to be held in memory.
import { closeSync, openSync, writeSync } from 'node:fs'

/** @typedef {import('../../src/plan/types.js').JsonValue} JsonValue */

/**
 * What the action reports for a plan; the generator makes no `forget` changes.
 * @typedef {Omit<import('../../src/plan/model.js').PlanCounts, 'forget'>} PlanCounts
 */

/**
 * @typedef {object} GeneratedPlan
 * @property {number} bytes
 * @property {number} resources resource instances in the plan
 * @property {PlanCounts} counts what the action should report
 */

const PLAN_FORMAT_VERSION = '1.2'
const TERRAFORM_VERSION = '1.9.8'
const AWS = 'registry.terraform.io/hashicorp/aws'
const RANDOM = 'registry.terraform.io/hashicorp/random'
const KUBERNETES = 'registry.terraform.io/hashicorp/kubernetes'

/** Weights of what happens to a managed resource instance; no-op dominates real plans. */
const MANAGED_ACTIONS = /** @type {const} */ ([
  ['no-op', 52],
  ['update', 16],
  ['create', 12],
  ['delete', 6],
  ['replace', 5],
  ['replace-create-first', 2],
  ['move', 4],
  ['import', 3]
])

/**
 * What happens to an instance: a managed action, or a data source read (deferred to apply) or
 * read during planning.
 * @typedef {(typeof MANAGED_ACTIONS)[number][0] | 'read' | 'read-during-plan'} InstanceAction
 */

/**
 * Mulberry32: small, fast and good enough to make plans vary without being random.
 * @param {number} seed
 * @returns {() => number} numbers in [0, 1)
 */
function seededRandom(seed) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Mixes the plan seed with an instance number so each instance's values can be rebuilt alone.
 * @param {number} seed
 * @param {number} instanceNumber
 * @returns {number}
 */
function instanceSeed(seed, instanceNumber) {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(instanceNumber + 1, 0xc2b2ae35)
  h ^= h >>> 16
  return Math.imul(h, 0x27d4eb2f) >>> 0
}

/**
 * Random choices drawn from `random`.
 * @param {() => number} random
 */
function picker(random) {
  /** @type {(min: number, max: number) => number} */
  const int = (min, max) => min + Math.floor(random() * (max - min + 1))
  /** @type {<T extends string | number>(list: readonly T[]) => T} */
  const pick = list => list[Math.floor(random() * list.length)]
  /** @type {(length: number) => string} */
  const hex = length => {
    let out = ''
    while (out.length < length) out += Math.floor(random() * 0x100000000).toString(16)
    return out.slice(0, length)
  }
  /** @type {<T extends string>(pairs: readonly (readonly [T, number])[]) => T} */
  const weighted = pairs => {
    const total = pairs.reduce((sum, [, weight]) => sum + weight, 0)
    let roll = random() * total
    for (const [value, weight] of pairs) {
      roll -= weight
      if (roll < 0) return value
    }
    return pairs[pairs.length - 1][0]
  }
  /** @type {(probability: number) => boolean} */
  const chance = probability => random() < probability
  return { int, pick, hex, weighted, chance }
}

/** @typedef {ReturnType<typeof picker>} Picker */

export { picker, seededRandom }

const ENVIRONMENTS = ['prod', 'staging', 'dev']
const TEAMS = ['payments', 'search', 'identity', 'platform', 'data', 'growth']
const ACCOUNT = '123456789012'

/**
 * @param {Picker} p
 * @param {string} name
 */
function tagsFor(p, name) {
  return {
    Name: name,
    Environment: p.pick(ENVIRONMENTS),
    Team: p.pick(TEAMS)
  }
}

/**
 * A resource instance's attribute values, as in the state.
 * @typedef {{ id: string } & Record<string, JsonValue>} Values
 */

/**
 * A resource or data source type: builds its attribute values and names those unknown until
 * apply and those that are sensitive.
 * @typedef {object} ResourceKind
 * @property {string} provider
 * @property {(p: Picker, name: string) => Values} values
 * @property {string[]} computed
 * @property {string[]} sensitive
 */

/**
 * A managed resource type also names what a replace or an update touches (null: nothing can
 * change in place).
 * @typedef {ResourceKind & { replaceAttribute: string, updateAttribute: string | null }}
 *   ManagedKind
 */

/**
 * Resource types: each builds its attribute values, names what a replace or an update touches,
 * what is unknown until apply and what is sensitive.
 * @type {Record<string, ManagedKind>}
 */
const RESOURCE_TYPES = {
  aws_instance: {
    provider: AWS,
    values(p, name) {
      return {
        ami: `ami-0${p.hex(16)}`,
        arn: `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0${p.hex(16)}`,
        id: `i-0${p.hex(16)}`,
        instance_type: p.pick(['t3.medium', 't3.large', 'm6i.large', 'c6i.xlarge']),
        private_ip: `10.${p.int(0, 255)}.${p.int(0, 255)}.${p.int(1, 254)}`,
        subnet_id: `subnet-0${p.hex(16)}`,
        vpc_security_group_ids: [`sg-0${p.hex(16)}`, `sg-0${p.hex(16)}`],
        tags: tagsFor(p, name),
        root_block_device: [
          {
            encrypted: true,
            volume_size: p.pick([20, 50, 100]),
            volume_type: 'gp3'
          }
        ]
      }
    },
    replaceAttribute: 'ami',
    updateAttribute: 'instance_type',
    computed: ['arn', 'id', 'private_ip'],
    sensitive: []
  },
  aws_security_group_rule: {
    provider: AWS,
    values(p, name) {
      const port = p.pick([22, 80, 443, 5432, 6379, 8080])
      return {
        cidr_blocks: [`10.${p.int(0, 255)}.0.0/16`, `172.${p.int(16, 31)}.0.0/12`],
        description: `${name} from the internal network`,
        from_port: port,
        id: `sgrule-${p.int(1000000000, 4000000000)}`,
        protocol: 'tcp',
        security_group_id: `sg-0${p.hex(16)}`,
        to_port: port,
        type: 'ingress'
      }
    },
    replaceAttribute: 'from_port',
    updateAttribute: 'description',
    computed: ['id'],
    sensitive: []
  },
  aws_iam_role_policy: {
    provider: AWS,
    values(p, name) {
      const bucket = `${p.pick(TEAMS)}-${p.hex(8)}`
      const policy = {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'],
            Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`]
          }
        ]
      }
      return {
        id: `${name}:${name}-policy`,
        name: `${name}-policy`,
        policy: JSON.stringify(policy),
        role: `${name}-role`
      }
    },
    replaceAttribute: 'role',
    updateAttribute: 'policy',
    computed: ['id'],
    sensitive: []
  },
  aws_db_instance: {
    provider: AWS,
    values(p, name) {
      return {
        allocated_storage: p.pick([20, 100, 500]),
        arn: `arn:aws:rds:eu-west-1:${ACCOUNT}:db:${name}`,
        endpoint: `${name}.${p.hex(12)}.eu-west-1.rds.amazonaws.com:5432`,
        engine: 'postgres',
        engine_version: p.pick(['15.5', '16.2']),
        id: `db-${p.hex(26).toUpperCase()}`,
        identifier: name,
        instance_class: p.pick(['db.t4g.medium', 'db.r6g.large']),
        multi_az: true,
        password: p.hex(24),
        storage_encrypted: true,
        username: 'app',
        tags: tagsFor(p, name)
      }
    },
    replaceAttribute: 'identifier',
    updateAttribute: 'instance_class',
    computed: ['arn', 'endpoint', 'id'],
    sensitive: ['password']
  },
  random_password: {
    provider: RANDOM,
    values(p) {
      return {
        bcrypt_hash: `$2a$10$${p.hex(53)}`,
        id: 'none',
        length: p.pick([24, 32, 40]),
        result: p.hex(32),
        special: true
      }
    },
    replaceAttribute: 'length',
    updateAttribute: null,
    computed: ['bcrypt_hash', 'id', 'result'],
    sensitive: ['bcrypt_hash', 'result']
  },
  kubernetes_config_map: {
    provider: KUBERNETES,
    values(p, name) {
      return {
        data: {
          LOG_LEVEL: p.pick(['info', 'debug', 'warn']),
          FEATURE_FLAGS: `flag-${p.hex(6)},flag-${p.hex(6)}`
        },
        id: `default/${name}`,
        metadata: [
          {
            labels: { app: name, team: p.pick(TEAMS) },
            name,
            namespace: 'default',
            resource_version: `${p.int(100000, 999999)}`,
            uid: `${p.hex(8)}-${p.hex(4)}-${p.hex(4)}-${p.hex(4)}-${p.hex(12)}`
          }
        ]
      }
    },
    replaceAttribute: 'id',
    updateAttribute: 'data',
    computed: ['id'],
    sensitive: []
  }
}

/** @type {ResourceKind & { type: string }} */
const DATA_SOURCE = {
  type: 'aws_iam_policy_document',
  provider: AWS,
  computed: ['id', 'json'],
  sensitive: [],
  values(p, name) {
    const statement = {
      Sid: name,
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Principal: { Service: 'ec2.amazonaws.com' }
    }
    return {
      id: `${p.int(1000000000, 4000000000)}`,
      json: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }),
      statement: [{ actions: ['sts:AssumeRole'], effect: 'Allow', sid: name }]
    }
  }
}

/**
 * Each resource and data source type the plans use: its provider, and one instance's values and
 * sensitive attributes, from which the bench's provider schemas type it.
 * @returns {{ mode: 'managed' | 'data', type: string, provider: string, values: Values,
 *   sensitive: string[] }[]}
 */
export function usedTypeSamples() {
  const p = picker(seededRandom(1))
  /** @type {['managed' | 'data', string, ResourceKind][]} */
  const kinds = [
    ...Object.entries(RESOURCE_TYPES).map(
      ([type, kind]) => /** @type {['managed', string, ResourceKind]} */ (['managed', type, kind])
    ),
    ['data', DATA_SOURCE.type, DATA_SOURCE]
  ]
  return kinds.map(([mode, type, kind]) => ({
    mode,
    type,
    provider: kind.provider,
    values: kind.values(p, type),
    sensitive: kind.sensitive
  }))
}

/** Every service module has these; a few more blocks of the small types vary per module. */
const SERVICE_BLOCKS = ['aws_instance', 'aws_security_group_rule', 'aws_iam_role_policy']
const EXTRA_BLOCKS = ['aws_security_group_rule', 'random_password', 'kubernetes_config_map']

/**
 * A resource block of a module: one instance, `size` by count, or one per for_each key.
 * @typedef {{ mode: 'managed' | 'data', type: string, name: string } & (
 *   | { repetition: 'single' }
 *   | { repetition: 'count', size: number }
 *   | { repetition: 'for_each', size: number, keys: string[] })} Block
 */

/**
 * @param {Picker} p
 * @param {string} type
 * @param {string} name
 * @returns {Block}
 */
function newBlock(p, type, name) {
  const repetition = p.weighted([
    ['single', 3],
    ['count', 4],
    ['for_each', 3]
  ])
  if (repetition === 'single') return { mode: 'managed', type, name, repetition }
  const size = p.int(2, 6)
  if (repetition === 'count') return { mode: 'managed', type, name, repetition, size }
  const keys = Array.from({ length: size }, (_, k) => `${name}-${k}`)
  return { mode: 'managed', type, name, repetition, size, keys }
}

/**
 * @param {Picker} p
 * @returns {Block[]}
 */
function serviceBlocks(p) {
  const blocks = SERVICE_BLOCKS.map(type => newBlock(p, type, p.pick(['this', 'main', 'app'])))
  for (let extra = p.int(1, 4); extra > 0; extra--) {
    const type = p.pick(EXTRA_BLOCKS)
    blocks.push(newBlock(p, type, `${type.split('_').pop()}_${blocks.length}`))
  }
  blocks.push({ mode: 'data', type: DATA_SOURCE.type, name: 'assume', repetition: 'single' })
  return blocks
}

/**
 * @param {Block} block
 * @returns {(number | string | undefined)[]} undefined: the block's single instance
 */
function instanceIndexes(block) {
  if (block.repetition === 'single') return [undefined]
  if (block.repetition === 'for_each') return block.keys
  return Array.from({ length: block.size }, (_, k) => k)
}

/** @param {number | string | undefined} index */
function indexSuffix(index) {
  if (index === undefined) return ''
  return typeof index === 'number' ? `[${index}]` : `[${JSON.stringify(index)}]`
}

/**
 * @param {string} moduleAddress empty for the root module
 * @param {Block} block
 * @param {number | string | undefined} index
 */
function resourceAddress(moduleAddress, block, index) {
  const local = `${block.mode === 'data' ? 'data.' : ''}${block.type}.${block.name}`
  return `${moduleAddress ? `${moduleAddress}.` : ''}${local}${indexSuffix(index)}`
}

/**
 * One resource instance of the plan.
 * @typedef {object} Instance
 * @property {number} number its position in the plan; seeds its values
 * @property {string} address
 * @property {string} moduleAddress empty for the root module
 * @property {Block} block
 * @property {number | string | undefined} index
 * @property {InstanceAction} action
 */

/**
 * A module instance and the resource instances it holds.
 * @typedef {object} ModuleNode
 * @property {string} address empty for the root module
 * @property {Instance[]} instances
 * @property {ModuleNode[]} children
 */

/**
 * A module call in the root module: `keys` are its for_each keys, or [null] without for_each.
 * @typedef {object} ModuleCall
 * @property {string} name
 * @property {(string | null)[]} keys
 * @property {Block[]} blocks
 * @property {{ name: string, blocks: Block[] } | null} child a nested module call
 */

/**
 * @typedef {object} Layout
 * @property {ModuleNode} root
 * @property {ModuleCall[]} calls
 * @property {Block[]} rootBlocks
 * @property {Instance[]} instances every resource instance, in plan order
 */

/**
 * The plan's layout: module calls (configuration) and module instances (values) holding one
 * descriptor per resource instance. Values are not built here; they are rebuilt from the
 * instance number whenever a section needs them.
 * @param {number} resourceCount
 * @param {number} seed
 * @returns {Layout}
 */
function buildLayout(resourceCount, seed) {
  const p = picker(seededRandom(seed))
  /** @type {ModuleCall[]} */
  const calls = []
  const rootBlocks = [
    newBlock(p, 'aws_security_group_rule', 'bastion_ssh'),
    newBlock(p, 'random_password', 'admin')
  ]
  /** @type {ModuleNode} */
  const root = { address: '', instances: [], children: [] }
  /** @type {Instance[]} */
  const instances = []

  /** @type {(moduleNode: ModuleNode, block: Block) => void} */
  const place = (moduleNode, block) => {
    for (const index of instanceIndexes(block)) {
      if (instances.length >= resourceCount) return
      const instance = {
        number: instances.length,
        address: resourceAddress(moduleNode.address, block, index),
        moduleAddress: moduleNode.address,
        block,
        index,
        action:
          block.mode === 'data' ? p.pick(['read', 'read-during-plan']) : p.weighted(MANAGED_ACTIONS)
      }
      moduleNode.instances.push(instance)
      instances.push(instance)
    }
  }

  rootBlocks.forEach(block => place(root, block))
  while (instances.length < resourceCount) {
    const name = `svc_${String(calls.length).padStart(4, '0')}`
    const keys = p.chance(0.5) ? ['blue', 'green', 'canary'].slice(0, p.int(1, 3)) : [null]
    const blocks = serviceBlocks(p)
    const child = p.chance(0.4)
      ? {
          name: 'db',
          blocks: [
            newBlock(p, 'aws_db_instance', 'main'),
            newBlock(p, 'kubernetes_config_map', 'settings')
          ]
        }
      : null
    calls.push({ name, keys, blocks, child })
    for (const key of keys) {
      const address = `module.${name}${key === null ? '' : `[${JSON.stringify(key)}]`}`
      /** @type {ModuleNode} */
      const node = { address, instances: [], children: [] }
      root.children.push(node)
      blocks.forEach(block => place(node, block))
      if (child) {
        /** @type {ModuleNode} */
        const childNode = {
          address: `${address}.module.${child.name}`,
          instances: [],
          children: []
        }
        node.children.push(childNode)
        child.blocks.forEach(block => place(childNode, block))
      }
    }
  }
  return { root, calls, rootBlocks, instances }
}

/**
 * One instance's change; `prior` is null for a create and a deferred read, `planned` for a delete.
 * @typedef {object} Change
 * @property {ResourceKind} kind
 * @property {Values | null} prior
 * @property {Values | null} planned
 * @property {string[]} actions
 * @property {InstanceAction} action
 * @property {string[][]} [replacePaths]
 * @property {string} [previousAddress]
 * @property {string} [importId]
 */

/**
 * Everything about one instance's change, rebuilt identically each time it is asked for.
 * @param {Instance} instance
 * @param {number} seed
 * @returns {Change}
 */
function describeChange(instance, seed) {
  const p = picker(seededRandom(instanceSeed(seed, instance.number)))
  const { block, action } = instance
  const name = `${block.name}-${instance.number}`
  if (block.mode === 'data') {
    const values = DATA_SOURCE.values(p, name)
    // A data source read during planning is only in the state; a deferred one is a change.
    const deferred = action === 'read'
    return {
      kind: DATA_SOURCE,
      prior: deferred ? null : values,
      planned: values,
      actions: deferred ? ['read'] : ['no-op'],
      action
    }
  }
  const kind = RESOURCE_TYPES[block.type]
  const prior = kind.values(p, name)
  /** @type {Change} */
  const change = { kind, prior, planned: prior, actions: ['no-op'], action }
  /** @type {(attribute: string) => Values} */
  const withNew = attribute => ({ ...prior, [attribute]: kind.values(p, `${name}-new`)[attribute] })
  /** @type {(actions: string[]) => Change} */
  const replaced = actions => ({
    ...change,
    planned: withNew(kind.replaceAttribute),
    actions,
    replacePaths: [[kind.replaceAttribute]]
  })
  switch (action) {
    case 'create':
      return { ...change, prior: null, actions: ['create'] }
    case 'delete':
      return { ...change, planned: null, actions: ['delete'] }
    case 'update':
      // Some resources (random_password) have nothing that can change in place.
      if (!kind.updateAttribute) return replaced(['delete', 'create'])
      return { ...change, planned: withNew(kind.updateAttribute), actions: ['update'] }
    case 'replace':
      return replaced(['delete', 'create'])
    case 'replace-create-first':
      return replaced(['create', 'delete'])
    case 'move': {
      const oldBlock = { ...block, name: `old_${block.name}` }
      return {
        ...change,
        previousAddress: resourceAddress(instance.moduleAddress, oldBlock, instance.index)
      }
    }
    case 'import':
      return { ...change, importId: prior.id }
    default:
      return change
  }
}

/**
 * @param {ResourceKind} kind
 * @param {Values | null} values
 */
function sensitiveMask(kind, values) {
  if (values === null) return false
  return Object.fromEntries(kind.sensitive.map(attribute => [attribute, true]))
}

/**
 * Values not known until apply: left out of the values, marked in after_unknown.
 * @param {string[]} actions
 */
function isPlannedWithUnknowns(actions) {
  return actions.includes('create') || actions.includes('read')
}

/**
 * @param {ResourceKind} kind
 * @param {Values | null} values
 * @param {string[]} actions
 * @returns {Values | null}
 */
function withoutUnknowns(kind, values, actions) {
  if (values === null || !isPlannedWithUnknowns(actions)) return values
  const known = { ...values }
  for (const attribute of kind.computed) delete known[attribute]
  return known
}

/**
 * @param {ResourceKind} kind
 * @param {string[]} actions
 */
function unknownMask(kind, actions) {
  if (!isPlannedWithUnknowns(actions)) return {}
  return Object.fromEntries(kind.computed.map(attribute => [attribute, true]))
}

/**
 * @param {Instance} instance
 * @param {ResourceKind} kind
 */
function resourceIdentity(instance, kind) {
  const { block, index } = instance
  return {
    address: instance.address,
    mode: block.mode,
    type: block.type,
    name: block.name,
    ...(index === undefined ? {} : { index }),
    provider_name: kind.provider
  }
}

/**
 * @param {Instance} instance
 * @param {ResourceKind} kind
 * @param {Values} values
 */
function stateResource(instance, kind, values) {
  return {
    ...resourceIdentity(instance, kind),
    schema_version: 0,
    values,
    sensitive_values: sensitiveMask(kind, values)
  }
}

/**
 * @param {Instance} instance
 * @param {Change} change
 */
function resourceChange(instance, change) {
  const { kind, actions, prior, planned } = change
  /** @type {Record<string, JsonValue>} */
  const entry = {
    ...resourceIdentity(instance, kind),
    ...(instance.moduleAddress ? { module_address: instance.moduleAddress } : {}),
    ...(change.previousAddress ? { previous_address: change.previousAddress } : {}),
    change: {
      actions,
      before: prior,
      after: withoutUnknowns(kind, planned, actions),
      after_unknown: unknownMask(kind, actions),
      before_sensitive: sensitiveMask(kind, prior),
      after_sensitive: sensitiveMask(kind, planned),
      ...(change.replacePaths ? { replace_paths: change.replacePaths } : {}),
      ...(change.importId ? { importing: { id: change.importId } } : {})
    }
  }
  const reason = actionReason(instance, actions)
  if (reason) entry.action_reason = reason
  return entry
}

/**
 * @param {Instance} instance
 * @param {string[]} actions
 * @returns {string | undefined}
 */
function actionReason(instance, actions) {
  if (actions[0] === 'read') return 'read_because_config_unknown'
  if (actions.length === 2) return 'replace_because_cannot_update'
  if (actions[0] !== 'delete') return undefined
  const byRepetition = {
    count: 'delete_because_count_index',
    for_each: 'delete_because_each_key',
    single: 'delete_because_no_resource_config'
  }
  return byRepetition[instance.block.repetition]
}

/**
 * Terraform's `Plan:` line rules, plus the import/move/replace tallies the action also reports.
 * @param {PlanCounts} counts
 * @param {Instance} instance
 * @param {Change} change
 */
function countChange(counts, instance, change) {
  const { actions } = change
  const key = actions.join(',')
  if (change.importId) counts.import++
  if (change.previousAddress) counts.move++
  if (key === 'create') counts.add++
  if (key === 'update') counts.change++
  if (key === 'delete' && instance.block.mode !== 'data') counts.destroy++
  if (key === 'delete,create' || key === 'create,delete') {
    counts.add++
    counts.destroy++
    counts.replace++
  }
}

/**
 * A resource block in `configuration`: every attribute the type lets you set is set.
 * @param {Block} block
 * @param {string} moduleKey the module's key in provider_config_key; empty for the root module
 */
function blockConfiguration(block, moduleKey) {
  const kind = block.mode === 'data' ? DATA_SOURCE : RESOURCE_TYPES[block.type]
  // The local name: the last part of the source address.
  const provider = kind.provider.slice(kind.provider.lastIndexOf('/') + 1)
  const attributes = Object.keys(kind.values(picker(seededRandom(1)), block.name))
  /** @type {Record<string, JsonValue>} */
  const config = {
    address: resourceAddress('', block, undefined),
    mode: block.mode,
    type: block.type,
    name: block.name,
    provider_config_key: moduleKey ? `${moduleKey}:${provider}` : provider,
    expressions: Object.fromEntries(
      attributes
        .filter(attribute => !kind.computed.includes(attribute))
        .map(attribute => [attribute, { references: [`var.${attribute}`] }])
    ),
    schema_version: 0
  }
  if (block.repetition === 'count') config.count_expression = { constant_value: block.size }
  if (block.repetition === 'for_each') {
    config.for_each_expression = { references: [`local.${block.name}_instances`] }
  }
  return config
}

/** @param {ModuleCall} call */
function moduleConfiguration(call) {
  /** @type {Record<string, JsonValue>} */
  const module = {
    outputs: {
      id: { expression: { references: [`${call.blocks[0].type}.${call.blocks[0].name}`] } }
    },
    resources: call.blocks.map(block => blockConfiguration(block, call.name)),
    variables: {
      environment: { description: 'Deployment environment' },
      team: { default: 'platform' }
    }
  }
  const { child } = call
  if (child) {
    const childKey = `${call.name}.${child.name}`
    module.module_calls = {
      [child.name]: {
        source: './modules/database',
        expressions: { identifier: { references: ['var.environment'] } },
        module: {
          resources: child.blocks.map(block => blockConfiguration(block, childKey))
        }
      }
    }
  }
  return {
    source: `app.terraform.io/example/service/aws`,
    version_constraint: '~> 4.2',
    ...(call.keys[0] === null
      ? {}
      : { for_each_expression: { references: ['local.deployments'] } }),
    expressions: {
      environment: { references: ['var.environment'] },
      team: { constant_value: call.name }
    },
    module
  }
}

const OUTPUT_CHANGES = {
  vpc_id: {
    actions: ['no-op'],
    before: 'vpc-0a1b2c3d4e5f',
    after: 'vpc-0a1b2c3d4e5f',
    after_unknown: false,
    before_sensitive: false,
    after_sensitive: false
  },
  endpoints: {
    actions: ['update'],
    before: ['a.example.com'],
    after: ['a.example.com', 'b.example.com'],
    after_unknown: false,
    before_sensitive: false,
    after_sensitive: false
  },
  db_password: {
    actions: ['update'],
    before: 'old-secret',
    after: 'new-secret',
    after_unknown: false,
    before_sensitive: true,
    after_sensitive: true
  },
  cluster_arn: {
    actions: ['create'],
    before: null,
    after: null,
    after_unknown: true,
    before_sensitive: false,
    after_sensitive: false
  }
}

/**
 * Buffers small writes into large ones: a 100 MB plan is written in a few hundred syscalls.
 * @param {number} fd
 */
function bufferedWriter(fd) {
  /** @type {string[]} */
  let pending = []
  let pendingLength = 0
  let bytes = 0
  const flush = () => {
    if (pendingLength === 0) return
    bytes += writeSync(fd, pending.join(''))
    pending = []
    pendingLength = 0
  }
  return {
    /** @param {string} text */
    write(text) {
      pending.push(text)
      pendingLength += text.length
      if (pendingLength > 1 << 20) flush()
    },
    /**
     * Writes `items` as a JSON array, one element at a time; `toJson` undefined leaves one out.
     * @template T
     * @param {Iterable<T>} items
     * @param {(item: T) => unknown} toJson
     */
    array(items, toJson) {
      this.write('[')
      let first = true
      for (const item of items) {
        const value = toJson(item)
        if (value === undefined) continue
        this.write(first ? JSON.stringify(value) : `,${JSON.stringify(value)}`)
        first = false
      }
      this.write(']')
    },
    finish() {
      flush()
      return bytes
    }
  }
}

/** @typedef {ReturnType<typeof bufferedWriter>} Writer */

/**
 * A module's resources in planned_values or prior_state, and its child modules in turn.
 * @param {Writer} out
 * @param {ModuleNode} node
 * @param {(instance: Instance) => unknown} stateOf undefined leaves an instance out
 */
function writeModuleValues(out, node, stateOf) {
  const address = node.address ? `"address":${JSON.stringify(node.address)},` : ''
  out.write(`{${address}"resources":`)
  out.array(node.instances, stateOf)
  if (node.children.length > 0) {
    out.write(',"child_modules":[')
    node.children.forEach((child, i) => {
      if (i > 0) out.write(',')
      writeModuleValues(out, child, stateOf)
    })
    out.write(']')
  }
  out.write('}')
}

/**
 * @param {Writer} out
 * @param {Layout} layout
 */
function writeConfiguration(out, layout) {
  const providers = {
    aws: { name: 'aws', full_name: AWS, expressions: { region: { references: ['var.region'] } } },
    random: { name: 'random', full_name: RANDOM },
    kubernetes: { name: 'kubernetes', full_name: KUBERNETES }
  }
  out.write(`{"provider_config":${JSON.stringify(providers)},"root_module":{"resources":`)
  out.array(layout.rootBlocks, block => blockConfiguration(block, ''))
  out.write(',"module_calls":{')
  layout.calls.forEach((call, i) => {
    const entry = `${JSON.stringify(call.name)}:${JSON.stringify(moduleConfiguration(call))}`
    out.write(i > 0 ? `,${entry}` : entry)
  })
  out.write('}}}')
}

/**
 * Writes a plan of `resources` resource instances to `filePath`.
 * Returns its size in bytes, the instance count and the counts the action should report.
 * @param {string} filePath
 * @param {{ resources: number, seed?: number }} options
 * @returns {GeneratedPlan}
 */
export function writeSyntheticPlan(filePath, { resources, seed = 1 }) {
  const layout = buildLayout(resources, seed)
  /** @type {(instance: Instance) => Change} */
  const changeOf = instance => describeChange(instance, seed)
  /** @type {(valuesOf: (change: Change) => Values | null) => (instance: Instance) => unknown} */
  const stateOf = valuesOf => instance => {
    const change = changeOf(instance)
    const values = valuesOf(change)
    return values === null ? undefined : stateResource(instance, change.kind, values)
  }
  /** @type {PlanCounts} */
  const counts = { add: 0, change: 0, destroy: 0, import: 0, replace: 0, move: 0 }
  const drifted = layout.instances.filter(
    instance => instance.action === 'no-op' && instance.number % 97 === 0
  )
  const fd = openSync(filePath, 'w')
  try {
    const out = bufferedWriter(fd)
    out.write(
      `{"format_version":"${PLAN_FORMAT_VERSION}","terraform_version":"${TERRAFORM_VERSION}"`
    )
    out.write(',"variables":{"environment":{"value":"prod"},"region":{"value":"eu-west-1"}}')
    out.write(',"planned_values":{"outputs":{},"root_module":')
    writeModuleValues(
      out,
      layout.root,
      stateOf(change => withoutUnknowns(change.kind, change.planned, change.actions))
    )
    out.write('},"resource_drift":')
    out.array(drifted, instance => {
      const change = changeOf(instance)
      // Drifted instances are no-ops, so they have a prior state; not every type has tags.
      const prior = /** @type {Values} */ (change.prior)
      const tags = /** @type {Record<string, string> | undefined} */ (prior.tags)
      // Someone edited the tags outside Terraform; the refresh brings them back in line.
      const edited = { ...prior, tags: { ...tags, Owner: 'console-edit' } }
      return resourceChange(instance, { ...change, prior: edited, actions: ['update'] })
    })
    out.write(',"resource_changes":')
    out.array(layout.instances, instance => {
      const change = changeOf(instance)
      if (change.action === 'read-during-plan') return undefined
      countChange(counts, instance, change)
      return resourceChange(instance, change)
    })
    out.write(`,"output_changes":${JSON.stringify(OUTPUT_CHANGES)}`)
    out.write(`,"prior_state":{"format_version":"1.0","terraform_version":"${TERRAFORM_VERSION}"`)
    out.write(',"values":{"outputs":{},"root_module":')
    writeModuleValues(
      out,
      layout.root,
      stateOf(change => change.prior)
    )
    out.write('}},"configuration":')
    writeConfiguration(out, layout)
    out.write(',"relevant_attributes":')
    out.array(drifted, instance => ({ resource: instance.address, attribute: ['tags'] }))
    out.write(
      ',"timestamp":"2025-01-01T00:00:00Z","applyable":true,"complete":true,"errored":false}'
    )
    return { bytes: out.finish(), resources: layout.instances.length, counts }
  } finally {
    closeSync(fd)
  }
}
