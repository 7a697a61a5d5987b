import type { ProfileId } from '../../../shared/models'
import { splitCommandLine } from './command-line'

/** How a profile is launched and what to tell a person when it cannot be. */
export interface ProfileDefinition {
  id: ProfileId
  label: string
  /** argv for the profile, with the first prompt placed the way its CLI takes one. */
  argv(options: { prompt?: string; customCommand: string | null; shell: string }): string[] | null
  installHint: string
  /** Whether review comments, CI failures and first prompts may be given to it (Custom: from settings). */
  acceptsPrompt: boolean
}

/** The user's login shell. */
export function defaultShell(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'win32') return env.COMSPEC || 'powershell.exe'
  return env.SHELL || '/bin/bash'
}

/** The built-in profiles: Shell, Claude Code, Codex and Custom. */
export const PROFILES: Record<ProfileId, ProfileDefinition> = {
  shell: {
    id: 'shell',
    label: 'Shell',
    argv: ({ shell }) => (process.platform === 'win32' ? [shell] : [shell, '-l']),
    // A shell runs every line it is given, so a prompt is never typed into it.
    installHint: 'Set the SHELL environment variable to a shell that exists.',
    acceptsPrompt: false
  },
  claude: {
    id: 'claude',
    label: 'Claude Code',
    // `claude "…"` starts an interactive session with the prompt as its first message.
    argv: ({ prompt }) => (prompt ? ['claude', prompt] : ['claude']),
    installHint: 'Install it with `npm install -g @anthropic-ai/claude-code`, then try again.',
    acceptsPrompt: true
  },
  codex: {
    id: 'codex',
    label: 'Codex',
    // `codex "…"` starts the interactive TUI with the prompt already sent.
    argv: ({ prompt }) => (prompt ? ['codex', prompt] : ['codex']),
    installHint: 'Install it with `npm install -g @openai/codex`, then try again.',
    acceptsPrompt: true
  },
  custom: {
    id: 'custom',
    label: 'Custom',
    argv: ({ prompt, customCommand }) => {
      const argv = customCommand ? splitCommandLine(customCommand) : null
      if (!argv || argv.length === 0) return null
      return prompt ? [...argv, prompt] : argv
    },
    installHint: 'Set a custom command in Agent settings.',
    acceptsPrompt: false
  }
}
