import type Anthropic from '@anthropic-ai/sdk'
import type { GitRunner } from '../git/git-runner'
import type { PtyHost } from '../pty/pty-host'
import { bashTool } from './tools/bash-tool'
import { editFileTool, listFilesTool, readFileTool, searchTool, writeFileTool } from './tools/file-tools'
import type { Tool } from './tools/tool-types'

/** The built-in agent's tools, all acting inside the thread's worktree. */
export function makeTools(git: GitRunner, ptys: PtyHost): Map<string, Tool> {
  const tools = [readFileTool, listFilesTool(git), searchTool(git), editFileTool, writeFileTool, bashTool(ptys)]
  return new Map(tools.map((t) => [t.name, t]))
}

/** The tool definitions the Messages API receives. */
export function toolDefinitions(tools: Map<string, Tool>): Anthropic.Tool[] {
  return [...tools.values()].map((t) => ({
    name: t.name,
    description: t.description,
    input_schema: t.inputSchema as Anthropic.Tool.InputSchema
  }))
}
