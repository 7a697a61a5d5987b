import { z } from 'zod'

/** Where a repository's environment file lives, relative to its root. */
export const ENVIRONMENT_FILE = '.skein/environment.json'

/** A folder path inside the repository: relative, no `..`, not `.git`. */
const RepoFolder = z
  .string()
  .trim()
  .min(1, 'must name a folder')
  .max(500, 'is too long')
  .refine((p) => !p.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(p), 'must be relative to the repository root, not absolute')
  .refine((p) => !p.split(/[\\/]/).includes('..'), 'must stay inside the repository (no "..")')
  .refine((p) => p.split(/[\\/]/)[0] !== '.git', 'cannot be inside .git')
  .transform((p) => p.replace(/\\/g, '/').replace(/\/+$/, '').replace(/^\.\//, ''))

/**
 * How a folder is shared between worktrees:
 * - `symlink`: one copy in Skein's shared store, every worktree links to it (no extra disk, but every worktree sees the same files);
 * - `reflink`: a copy-on-write clone of the main checkout's folder (near-free on btrfs, XFS, APFS; a full copy elsewhere; each worktree independent);
 * - `copy`: a plain full copy of the main checkout's folder (independent, costs the full size each time).
 */
export const ShareMode = z.enum(['symlink', 'reflink', 'copy'])
/** How a folder is shared between worktrees. */
export type ShareMode = z.infer<typeof ShareMode>

/** A folder shared between worktrees instead of being rebuilt in each. */
export const SharedFolder = z.object({ path: RepoFolder, mode: ShareMode.default('symlink') }).strict()
/** A folder shared between worktrees. */
export type SharedFolder = z.infer<typeof SharedFolder>

/** The dev server: started and stopped from the thread; `url` may use ${PORT} and ${SKEIN_PORT_<n>}. */
export const RunCommand = z
  .object({
    command: z.string().trim().min(1, 'must not be empty').max(4000, 'is too long'),
    url: z.string().trim().max(500, 'is too long').optional()
  })
  .strict()
/** The dev server command. */
export type RunCommand = z.infer<typeof RunCommand>

const Command = z.string().trim().min(1, 'must not be empty').max(20_000, 'is too long')

/** A repository's environment: what makes a new worktree ready to work in (`.skein/environment.json`). */
export const Environment = z
  .object({
    $schema: z.string().optional(),
    /** Shell commands run in order, in one shell, in the new worktree (cd and variables carry over). */
    setup: z.array(Command).max(100, 'has more than 100 commands').default([]),
    /** gitignore-style patterns of untracked files (e.g. `.env`) copied from the main checkout. */
    copy: z.array(z.string().trim().min(1, 'must not be empty').max(500, 'is too long')).max(200, 'has more than 200 patterns').default([]),
    /** Folders shared between worktrees instead of rebuilt in each (node_modules, .venv, caches). */
    share: z.array(SharedFolder).max(50, 'has more than 50 folders').default([]),
    run: RunCommand.nullable().default(null),
    /** Runs in the worktree before it is archived; a failure is reported, never blocks saving the work. */
    archive: Command.nullable().default(null),
    /** Start the agent once setup has finished (default), or at the same time. */
    startAgent: z.enum(['after-setup', 'parallel']).default('after-setup')
  })
  .strict()
/** A repository's environment, with defaults filled in. */
export type Environment = z.infer<typeof Environment>
/** An environment as written (defaults may be left out). */
export type EnvironmentInput = z.input<typeof Environment>

/** An environment with nothing in it. */
export const emptyEnvironment = (): Environment => Environment.parse({})

/** True when an environment asks for nothing. */
export const isEmptyEnvironment = (e: Environment): boolean =>
  e.setup.length === 0 && e.copy.length === 0 && e.share.length === 0 && !e.run && !e.archive

/** Where the environment in effect comes from. */
export const EnvironmentSource = z.enum(['file', 'settings', 'none'])
/** Where the environment in effect comes from. */
export type EnvironmentSource = z.infer<typeof EnvironmentSource>

/** The formats of other tools that can be imported. */
export const ImportFormat = z.enum(['conductor', 'cursor', 'claude', 'devcontainer'])
/** A format that can be imported. */
export type ImportFormat = z.infer<typeof ImportFormat>

/** One importable file found in a repository, and the environment it would give. */
export const DetectedImport = z.object({
  format: ImportFormat,
  /** The files read, relative to the repository root. */
  files: z.array(z.string()),
  environment: Environment,
  /** What was left out or changed, and why. */
  notes: z.array(z.string())
})
/** One importable file found in a repository. */
export type DetectedImport = z.infer<typeof DetectedImport>

/** What setup did in a worktree: shown in the thread while it runs and after. */
export const SetupState = z.object({
  state: z.enum(['running', 'done', 'failed']),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  /** The terminal the setup commands run in (its scrollback is the log). */
  ptyId: z.string().nullable(),
  /** Files copied from the main checkout (relative paths). */
  copied: z.array(z.string()),
  /** Shared folders and how each was made. */
  shared: z.array(
    z.object({ path: z.string(), mode: ShareMode, outcome: z.enum(['linked', 'cloned', 'copied', 'skipped']), note: z.string().nullable() })
  ),
  /** The failed step: a setup command (1-based index) or the environment itself. */
  failure: z
    .object({
      command: z.string().nullable(),
      index: z.number().nullable(),
      exitCode: z.number().nullable(),
      message: z.string(),
      logTail: z.string()
    })
    .nullable(),
  /** Things worth knowing that did not stop setup (skipped files, a folder missing in the main checkout). */
  warnings: z.array(z.string())
})
/** What setup did in a worktree. */
export type SetupState = z.infer<typeof SetupState>

/** A zod error as one line naming the field, e.g. `share[0].mode: Invalid option`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => {
      const field = i.path.reduce<string>(
        (acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)),
        ''
      )
      const keys = i.code === 'unrecognized_keys' && !i.keys.every((k) => i.message.includes(k)) ? ` (${i.keys.join(', ')})` : ''
      return `${field || '(top level)'}: ${i.message}${keys}`
    })
    .join('; ')
}
