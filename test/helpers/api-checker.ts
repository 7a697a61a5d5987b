import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import type { OpenApiDoc } from './github-openapi-fixture'

/** One request a fake answered, as the checker sees it. */
export interface ApiExchange {
  method: string
  /** The raw path (percent-encoding kept), relative to the API root, e.g. `/repos/a/b/commits/sha/status`. */
  path: string
  query: URLSearchParams
  /** Whether the request carried If-None-Match (a 304 answers only such a request). */
  conditional: boolean
  status: number
  /** The response body as sent. */
  body: string
  /** The request body as received ('' for none); when left out, request bodies are not checked. */
  requestBody?: string
}

/** How a description is applied. */
export interface ApiCheckerOptions {
  /** Shown in every violation, e.g. "GitHub". */
  name: string
  /** The schema (a `#/components/schemas/...` pointer) of an error status the description leaves out, e.g. GitHub's basic-error. */
  errorSchema?: string
  /** A schema error the provider is documented to cause anyway (values its description's enums leave out). */
  tolerate?: (e: ErrorObject) => boolean
}

interface Parameter {
  name: string
  in: string
  required?: boolean
  schema?: Record<string, unknown>
  'x-multi-segment'?: boolean
}

interface Operation {
  parameters?: (Parameter | { $ref: string })[]
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> }
  responses: Record<string, { $ref?: string; content?: Record<string, { schema?: unknown }> }>
}

interface Route {
  method: string
  template: string
  pattern: RegExp
  names: string[]
  operation: Operation
  pointer: string
}

const escapePointer = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1')

/**
 * Checks requests and responses against an OpenAPI 3.0 description: the operation must exist, its
 * path and query parameters must match their schemas (and no undescribed query parameter may be
 * sent), a request body (when given) must match the described one, and the body must match the
 * schema described for the status. Returns violations as sentences; an empty list means the exchange
 * is as described.
 */
export class ApiChecker {
  private readonly ajv: Ajv
  private readonly routes: Route[]
  private readonly compiled = new Map<string, ValidateFunction>()

  private readonly doc: OpenApiDoc

  constructor(
    doc: OpenApiDoc,
    private readonly options: ApiCheckerOptions
  ) {
    this.doc = nullableEnums(doc) as OpenApiDoc
    // OpenAPI 3.0 schemas: `nullable`, `example` and `x-*` keywords, so not strict.
    this.ajv = new Ajv({ strict: false, allErrors: true, verbose: true })
    addFormats(this.ajv)
    this.ajv.addSchema(this.doc as object, 'api')
    this.routes = Object.entries(this.doc.paths).flatMap(([template, item]) =>
      Object.entries(item).map(([method, operation]) => {
        const op = operation as Operation
        const names: string[] = []
        const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_, name: string) => {
          names.push(name)
          return this.parameters(op).find((p) => p.name === name)?.['x-multi-segment'] ? '(.+)' : '([^/]+)'
        })
        return {
          method,
          template,
          pattern: new RegExp(`^${source}$`),
          names,
          operation: op,
          pointer: `#/paths/${escapePointer(template)}/${method}`
        }
      })
    )
  }

  /** Violations of the description by one exchange. */
  check(x: ApiExchange): string[] {
    const method = x.method.toLowerCase()
    const where = `${this.options.name} ${x.method} ${x.path}${x.query.size ? `?${x.query}` : ''} → ${x.status}`
    // Most specific first: /repos/{owner}/{repo} must not swallow /repos/{owner}/{repo}/commits/...
    const route = this.routes
      .filter((r) => r.method === method && r.pattern.test(x.path))
      .sort((a, b) => b.template.length - a.template.length)[0]
    if (!route) return [`${where}: no such operation in the description`]
    const out: string[] = []
    const match = route.pattern.exec(x.path)!
    const params = this.parameters(route.operation)
    route.names.forEach((name, i) => {
      const p = params.find((q) => q.name === name)
      out.push(...this.param(p, decodeURIComponent(match[i + 1]!), `path parameter ${name}`))
    })
    for (const p of params.filter((q) => q.in === 'query')) {
      const value = x.query.get(p.name)
      if (value === null) {
        if (p.required) out.push(`query parameter ${p.name} is required`)
      } else out.push(...this.param(p, value, `query parameter ${p.name}`))
    }
    for (const key of new Set(x.query.keys()))
      if (!params.some((p) => p.in === 'query' && p.name === key)) out.push(`query parameter ${key} is not described`)
    if (x.requestBody !== undefined) out.push(...this.request(route.operation, x.requestBody))
    out.push(...this.response(route, x))
    return out.map((v) => `${where}: ${v}`)
  }

  private parameters(op: Operation): Parameter[] {
    return (op.parameters ?? []).map((p) => ('$ref' in p ? (this.resolve(p.$ref) as Parameter) : p))
  }

  private resolve(ref: string): unknown {
    return ref
      .slice(2)
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], this.doc)
  }

  // A parameter arrives as text: numbers and booleans are read as such before the schema is applied.
  private param(p: Parameter | undefined, raw: string, what: string): string[] {
    if (!p) return [`${what} is not described`]
    const type = (p.schema as { type?: string } | undefined)?.type
    const value =
      (type === 'integer' || type === 'number') && raw.trim() !== '' && !Number.isNaN(Number(raw))
        ? Number(raw)
        : type === 'boolean' && (raw === 'true' || raw === 'false')
          ? raw === 'true'
          : raw
    return this.errors(p.schema ?? {}, value, what)
  }

  // A JSON request body: described and valid, present when required, absent (or `{}`, no attributes) when none is described.
  private request(op: Operation, text: string): string[] {
    if (!text) return op.requestBody?.required ? ['a request body is required'] : []
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      return ['the request body is not JSON']
    }
    if (!op.requestBody) return text.trim() === '{}' ? [] : ['a request body was sent, yet none is described']
    return this.errors(op.requestBody.content?.['application/json']?.schema ?? {}, body, 'the request body')
  }

  private response(route: Route, x: ApiExchange): string[] {
    if (x.status === 304) return x.conditional ? [] : ['304 answers a request without If-None-Match']
    const described = route.operation.responses[String(x.status)] ?? route.operation.responses.default
    let schema: unknown
    let json = true
    if (described) {
      const resp = (described.$ref ? this.resolve(described.$ref) : described) as { content?: Record<string, { schema?: unknown }> }
      if (!resp.content) return x.body === '' ? [] : [`status ${x.status} is described without a body, yet one was sent`]
      json = 'application/json' in resp.content
      schema = (resp.content['application/json'] ?? Object.values(resp.content)[0])?.schema
    } else if (x.status >= 400 && this.options.errorSchema) {
      schema = { $ref: `api${this.options.errorSchema}` }
    } else {
      return [`status ${x.status} is not described`]
    }
    if (!json) return this.errors(schema ?? {}, x.body, 'the body')
    let body: unknown
    try {
      body = JSON.parse(x.body)
    } catch {
      return ['the body is not JSON']
    }
    return this.errors(schema ?? {}, body, 'the body')
  }

  private errors(schema: unknown, value: unknown, what: string): string[] {
    const key = JSON.stringify(schema)
    let validate = this.compiled.get(key)
    if (!validate) {
      // Schemas point into the document (`#/components/...`): compile them as part of it.
      validate = this.ajv.compile(rebase(schema) as object)
      this.compiled.set(key, validate)
    }
    if (validate(value)) return []
    const errors = (validate.errors ?? []).filter((e) => !this.options.tolerate?.(e))
    return errors.map((e) => `${what}${e.instancePath ? ` at ${e.instancePath}` : ''} ${e.message ?? 'is invalid'}${describeParams(e)}`)
  }
}

// OpenAPI 3.0 lets `nullable: true` admit null; Ajv applies `enum` as written, so null joins the enum.
function nullableEnums(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableEnums)
  if (!node || typeof node !== 'object') return node
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(node)) out[k] = nullableEnums(v)
  if (out.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...(out.enum as unknown[]), null]
  return out
}

// A schema taken out of the document still says `#/components/...`: point that at the added document.
function rebase(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rebase)
  if (!node || typeof node !== 'object') return node
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(node)) out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `api${v}` : rebase(v)
  return out
}

function describeParams(e: ErrorObject): string {
  if (e.keyword === 'enum') return ` (${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)})`
  if (e.keyword === 'additionalProperties') return ` (${(e.params as { additionalProperty: string }).additionalProperty})`
  return ''
}
