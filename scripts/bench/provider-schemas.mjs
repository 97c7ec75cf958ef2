// Synthetic `provider_schemas` as big as a real AWS provider's (about 10 MB of JSON), as HCP
// Terraform serves them in every redacted plan whatever few types the plan uses: the types the
// bench's plans use are typed from their values (so the schema fits what they hold), and
// ~2,000 made-up types with attributes, descriptions and nested blocks make up the bulk.
import { picker, seededRandom, usedTypeSamples } from './plan-generator.mjs'

/** @typedef {import('../../src/plan/types.js').JsonValue} JsonValue */
/** @typedef {import('./plan-generator.mjs').Picker} Picker */

/** About the counts of the real AWS provider (6.x): resource types and data sources. */
const FILLER_RESOURCE_TYPES = 1500
const FILLER_DATA_SOURCES = 600

const SERVICES = [
  'acm',
  'apigateway',
  'appautoscaling',
  'appsync',
  'athena',
  'autoscaling',
  'backup',
  'batch',
  'cloudformation',
  'cloudfront',
  'cloudwatch',
  'codebuild',
  'codepipeline',
  'cognito',
  'config',
  'datasync',
  'dms',
  'docdb',
  'dynamodb',
  'ec2',
  'ecr',
  'ecs',
  'efs',
  'eks',
  'elasticache',
  'elb',
  'emr',
  'events',
  'glue',
  'guardduty',
  'iam',
  'kinesis',
  'kms',
  'lambda',
  'lb',
  'macie',
  'mq',
  'msk',
  'neptune',
  'networkfirewall',
  'opensearch',
  'organizations',
  'rds',
  'redshift',
  'route53',
  's3',
  'sagemaker',
  'secretsmanager',
  'securityhub',
  'ses',
  'sfn',
  'sns',
  'sqs',
  'ssm',
  'transfer',
  'vpc',
  'waf',
  'wafv2',
  'workspaces',
  'xray'
]
const NOUNS = [
  'account',
  'alias',
  'association',
  'attachment',
  'cluster',
  'configuration',
  'connection',
  'domain',
  'endpoint',
  'filter',
  'function',
  'group',
  'instance',
  'integration',
  'listener',
  'member',
  'permission',
  'pipeline',
  'policy',
  'profile',
  'queue',
  'replica',
  'repository',
  'rule',
  'schedule',
  'setting',
  'snapshot',
  'stage',
  'subscription',
  'table',
  'target',
  'template',
  'topic',
  'trigger',
  'user',
  'version',
  'volume'
]
const WORDS = [
  'the',
  'of',
  'resource',
  'identifier',
  'name',
  'when',
  'set',
  'to',
  'value',
  'must',
  'be',
  'configuration',
  'this',
  'argument',
  'is',
  'optional',
  'and',
  'defaults',
  'provider',
  'amazon',
  'specified',
  'block',
  'see',
  'documentation',
  'for',
  'more',
  'details',
  'region'
]
const PRIMITIVES = ['string', 'string', 'string', 'number', 'bool']

/**
 * `provider_schemas` of a redacted plan: the AWS, random and kubernetes providers, with every
 * type the bench's plans use and as many more as the real AWS provider has.
 * @returns {Record<string, JsonValue>}
 */
export function syntheticProviderSchemas() {
  const p = picker(seededRandom(21))
  /** @type {Record<string, { provider: JsonValue, resource_schemas: Record<string, JsonValue>,
   *   data_source_schemas: Record<string, JsonValue> }>} */
  const providers = {}
  for (const sample of usedTypeSamples()) {
    providers[sample.provider] ??= {
      provider: { version: 0, block: fillerBlock(p, 0) },
      resource_schemas: {},
      data_source_schemas: {}
    }
    const schemas = providers[sample.provider]
    const byMode = sample.mode === 'data' ? schemas.data_source_schemas : schemas.resource_schemas
    byMode[sample.type] = { version: 0, block: blockFromValues(sample.values, sample.sensitive) }
  }
  const aws = Object.values(providers).find(provider => 'aws_instance' in provider.resource_schemas)
  if (aws === undefined) throw new Error('the bench plans no longer use the AWS provider')
  fill(p, aws.resource_schemas, FILLER_RESOURCE_TYPES)
  fill(p, aws.data_source_schemas, FILLER_DATA_SOURCES)
  return providers
}

/**
 * @param {Picker} p
 * @param {Record<string, JsonValue>} byType
 * @param {number} count
 */
function fill(p, byType, count) {
  for (let added = 0; added < count;) {
    const type = `aws_${p.pick(SERVICES)}_${p.pick(NOUNS)}_${p.hex(4)}`
    if (type in byType) continue
    byType[type] = { version: p.int(0, 2), block: fillerBlock(p, 0) }
    added++
  }
}

/**
 * A block of made-up attributes, descriptions and, near the top, nested blocks.
 * @param {Picker} p
 * @param {number} depth
 * @returns {JsonValue}
 */
function fillerBlock(p, depth) {
  /** @type {Record<string, JsonValue>} */
  const attributes = {}
  const attributeCount = depth === 0 ? p.int(6, 22) : p.int(2, 8)
  for (let i = 0; i < attributeCount; i++) {
    const type = p.pick(PRIMITIVES)
    attributes[`${p.pick(WORDS)}_${p.pick(NOUNS)}_${i}`] = {
      type: p.chance(0.2) ? [p.pick(['list', 'set', 'map']), type] : type,
      description: sentence(p),
      description_kind: 'plain',
      ...(p.chance(0.5) ? { optional: true } : { required: true }),
      ...(p.chance(0.3) && { computed: true }),
      ...(p.chance(0.03) && { sensitive: true })
    }
  }
  /** @type {Record<string, JsonValue>} */
  const blockTypes = {}
  const nested = depth < 2 ? p.int(0, depth === 0 ? 3 : 1) : 0
  for (let i = 0; i < nested; i++) {
    blockTypes[`${p.pick(NOUNS)}_${i}`] = {
      nesting_mode: p.pick(['list', 'set', 'single']),
      block: fillerBlock(p, depth + 1),
      ...(p.chance(0.5) && { max_items: 1 })
    }
  }
  return {
    attributes,
    ...(nested > 0 && { block_types: blockTypes }),
    description: sentence(p),
    description_kind: 'plain'
  }
}

/** @param {Picker} p */
function sentence(p) {
  const words = Array.from({ length: p.int(6, 18) }, () => p.pick(WORDS))
  return `${words.join(' ')}.`
}

/**
 * The schema of a type as its values show it: lists of objects are nested blocks, objects are
 * maps, everything else an attribute of the value's type.
 * @param {Record<string, JsonValue>} values
 * @param {string[]} sensitive
 * @returns {JsonValue}
 */
function blockFromValues(values, sensitive) {
  /** @type {Record<string, JsonValue>} */
  const attributes = {}
  /** @type {Record<string, JsonValue>} */
  const blockTypes = {}
  for (const [name, value] of Object.entries(values)) {
    const first = Array.isArray(value) ? value[0] : undefined
    if (first !== null && typeof first === 'object' && !Array.isArray(first)) {
      blockTypes[name] = { nesting_mode: 'list', block: blockFromValues(first, []) }
    } else {
      attributes[name] = {
        type: typeOf(value),
        optional: true,
        ...(sensitive.includes(name) && { sensitive: true })
      }
    }
  }
  return { attributes, block_types: blockTypes }
}

/**
 * @param {JsonValue} value
 * @returns {JsonValue}
 */
function typeOf(value) {
  if (Array.isArray(value)) return ['list', value.length > 0 ? typeOf(value[0]) : 'string']
  if (value !== null && typeof value === 'object') {
    const [first] = Object.values(value)
    return ['map', first === undefined ? 'string' : typeOf(first)]
  }
  if (typeof value === 'number') return 'number'
  return typeof value === 'boolean' ? 'bool' : 'string'
}
