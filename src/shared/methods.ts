import { z } from 'zod'
import { Repo, Thread, ThreadMode } from './models'

const threadId = z.string().min(1, 'threadId is required')
const repoId = z.string().min(1, 'repoId is required')
const title = z.string().trim().min(1, 'A title is required').max(200, 'A title is at most 200 characters')
const Ok = z.object({ ok: z.literal(true) })

/** Every request method: its params and result schemas. The core validates params against these. */
export const methods = {
  'core/hello': {
    params: z.object({}).default({}),
    result: z.object({
      version: z.string(),
      home: z.string(),
      platform: z.string(),
      capabilities: z.object({ pickFolder: z.boolean() })
    })
  },
  'dialog/pickFolder': {
    params: z.object({ title: z.string().optional() }).default({}),
    result: z.object({ path: z.string().nullable() })
  },
  'repo/add': {
    params: z.object({ path: z.string().trim().min(1, 'A path is required') }),
    result: Repo
  },
  'repo/list': {
    params: z.object({}).default({}),
    result: z.object({ repos: z.array(Repo) })
  },
  'repo/remove': {
    params: z.object({ repoId }),
    result: Ok
  },
  'repo/branches': {
    params: z.object({ repoId }),
    result: z.object({ current: z.string().nullable(), branches: z.array(z.string()) })
  },
  'thread/create': {
    params: z.object({
      repoId,
      title,
      baseRef: z.string().trim().min(1).optional(),
      mode: ThreadMode.default('worktree')
    }),
    result: Thread
  },
  'thread/list': {
    params: z
      .object({ repoId: z.string().optional(), includeArchived: z.boolean().default(false) })
      .default({ includeArchived: false }),
    result: z.object({ threads: z.array(Thread) })
  },
  'thread/get': { params: z.object({ threadId }), result: Thread },
  'thread/rename': { params: z.object({ threadId, title }), result: Thread },
  'thread/archive': { params: z.object({ threadId }), result: Thread },
  'thread/restore': { params: z.object({ threadId }), result: Thread },
  'thread/delete': { params: z.object({ threadId }), result: Ok }
} as const

/** Every notification the core pushes: its params schema. */
export const notifications = {
  'repo/updated': z.object({ repo: Repo }),
  'repo/removed': z.object({ repoId: z.string() }),
  'thread/updated': z.object({ thread: Thread }),
  'thread/removed': z.object({ threadId: z.string(), repoId: z.string() })
} as const

/** Name of a request method. */
export type MethodName = keyof typeof methods
/** Params a caller passes to a method (defaults may be omitted). */
export type ParamsOf<M extends MethodName> = z.input<(typeof methods)[M]['params']>
/** Params a handler receives after validation. */
export type ParsedParamsOf<M extends MethodName> = z.output<(typeof methods)[M]['params']>
/** What a method resolves to. */
export type ResultOf<M extends MethodName> = z.output<(typeof methods)[M]['result']>
/** Name of a notification. */
export type NotificationName = keyof typeof notifications
/** Params of a notification. */
export type NotificationOf<N extends NotificationName> = z.output<(typeof notifications)[N]>

/** True when `name` is a known request method. */
export const isMethodName = (name: string): name is MethodName =>
  Object.prototype.hasOwnProperty.call(methods, name)
