import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { AGENT_SHELL_TITLE } from '../src/main/core/pty/pty-host'
import { useScriptedModel, type ModelServer } from './helpers/model-server'
import { cleanupTemp, makeCore, makeRepo, must } from './helpers/fixtures'
import { attachRecorder, eventually } from './helpers/pty-client'

let server: ModelServer
beforeAll(async () => {
  server = await useScriptedModel()
})
afterAll(() => server.close())
afterEach(cleanupTemp)

describe("the built-in agent's shell as a person sees it", () => {
  it('shows each command and its output, never the typed plumbing or the markers; the agent still gets the output', async () => {
    process.env.ANTHROPIC_API_KEY = 'test-key'
    const { core } = await makeCore()
    const repo = must(await core.repos.add(makeRepo()))
    const thread = must(await core.threads.create({ repoId: repo.id, title: 'agent work', mode: 'worktree', permissionMode: 'auto' }))
    server.push(
      { toolUses: [{ name: 'bash', input: { command: 'echo first-$((40+2))' } }] },
      { toolUses: [{ name: 'bash', input: { command: 'printf no-newline-$((1+1))' } }] },
      { toolUses: [{ name: 'bash', input: { command: 'false' } }] },
      { text: 'Done.' }
    )
    must(await core.agent.startTurn(thread.id, 'run things'))
    await eventually(
      () =>
        core.threads.list().find((t) => t.id === thread.id)!.conversation.busy === false &&
        core.threads.list().find((t) => t.id === thread.id)!.conversation.turns > 0,
      'the turn to end'
    )
    const items = await core.agent.items(thread.id)
    const outputs = items.filter((i) => i.kind === 'tool').map((i) => [i.tool!.output, i.tool!.exitCode])
    expect(outputs).toEqual([
      ['first-42', 0],
      ['no-newline-2', 0],
      ['(no output)', 1]
    ])

    const shell = (await core.ptys.list(thread.id)).find((p) => p.title === AGENT_SHELL_TITLE)!
    // What a window gets on attaching (the scrollback) and live from then on.
    const viewer = await attachRecorder(core.ptys, shell.id)
    must(core.ptys.write(shell.id, 'echo person-$((3*3))\r'))
    await eventually(() => viewer.output().includes('person-9'), "the person's own command to show")
    const seen = viewer.output()
    expect(seen).toContain('first-42')
    expect(seen).toContain('no-newline-2')
    expect(seen).toMatch(/\$ echo first-\$\(\(40\+2\)\)/)
    expect(seen).not.toMatch(/SKEIN|skein-agent|\\137/)
    await core.close()
  })
})
