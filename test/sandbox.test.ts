import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer as createHttpServer } from 'node:http'
import { createServer as createNetServer } from 'node:net'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Item, Thread } from '../src/shared/models'
import { SandboxService } from '../src/main/core/sandbox/sandbox-service'
import { GitRunner } from '../src/main/core/git/git-runner'
import { useScriptedModel, type ModelServer } from './helpers/model-server'
import { cleanupTemp, git, makeCore, makeRepo, must, tempDir } from './helpers/fixtures'
import { eventually } from './helpers/pty-client'

let server: ModelServer
beforeAll(async () => {
  server = await useScriptedModel()
})
afterAll(() => server.close())
afterEach(async () => {
  delete process.env.SKEIN_SANDBOX
  await cleanupTemp()
})

const hasBwrap = await new SandboxService(new GitRunner(), tempDir('skein-probe-')).detect().then((s) => s.kind === 'bwrap')
const NO_BWRAP = 'bubblewrap is missing or cannot create namespaces here (.ci/run installs it)'

async function setup(permissionMode: Thread['conversation']['permissionMode'], o: { listenSocket?: boolean } = {}) {
  const repoPath = makeRepo()
  const made = await makeCore(undefined, { listenSocket: o.listenSocket ?? false })
  const repo = must(await made.core.repos.add(repoPath))
  const thread = must(await made.core.threads.create({ repoId: repo.id, title: 'containment', mode: 'worktree', permissionMode }))
  const approvals: Item[] = []
  made.core.bus.subscribe((name, p) => name === 'approval/requested' && approvals.push((p as { item: Item }).item))
  return { ...made, repoPath, thread, approvals }
}

type Setup = Awaited<ReturnType<typeof setup>>
const threadOf = (s: Setup) => s.core.threads.list({ includeArchived: true }).find((t) => t.id === s.thread.id)!

/** Runs each command as one bash tool call of one turn, approving every approval card (the worst case). */
async function runCommands(s: Setup, commands: string[]): Promise<Item[]> {
  server.push(...commands.map((command) => ({ toolUses: [{ name: 'bash', input: { command, timeout_ms: 20_000 } }] })), { text: 'done' })
  const answered = new Set<string>()
  const approve = s.core.bus.subscribe((name, p) => {
    const item = (p as { item?: Item }).item
    if (name === 'approval/requested' && item && !answered.has(item.id)) {
      answered.add(item.id)
      void s.core.agent.respond(s.thread.id, item.id, 'once')
    }
  })
  const before = (await s.core.agent.items(s.thread.id)).length
  must(await s.core.agent.startTurn(s.thread.id, 'try these'))
  await eventually(() => threadOf(s).conversation.busy === false, 'the turn to end', 170_000)
  approve.dispose()
  return (await s.core.agent.items(s.thread.id)).slice(before).filter((i) => i.kind === 'tool')
}

/** Every file under `dir` (not following links) with its type, mode and content hash. */
function tree(dir: string, skip: (rel: string) => boolean = () => false): Record<string, string> {
  const out: Record<string, string> = {}
  if (!existsSync(dir)) return out
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel))) {
      const r = rel ? `${rel}/${name}` : name
      if (skip(r)) continue
      const st = lstatSync(join(dir, r))
      if (st.isDirectory()) {
        out[r] = `dir ${st.mode.toString(8)}`
        walk(r)
      } else if (st.isFile())
        out[r] = `file ${st.mode.toString(8)} ${createHash('sha1')
          .update(readFileSync(join(dir, r)))
          .digest('hex')}`
      else out[r] = `other ${st.mode.toString(8)}`
    }
  }
  walk('')
  return out
}

/** What a command could change: the worktree, the repository's git data, the outside folder, HOME and /tmp markers. */
/** Every object in the repository but those only Skein's checkpoints hold (one a command wrote would show here). */
function objectsBesideCheckpoints(repo: string): string[] {
  const all = git(repo, 'cat-file', '--batch-all-objects', '--batch-check=%(objectname)').split('\n')
  // Objects only checkpoints reach (what the repository held before stays counted).
  const only = git(repo, 'rev-list', '--objects', '--glob=refs/skein/checkpoints', '--not', '--exclude=refs/skein/checkpoints/*', '--all')
  const held = new Set(only.split('\n').map((l) => l.split(' ')[0]))
  return all.filter((id) => !held.has(id))
}

function snapshot(s: Setup, outside: string, token: string) {
  const wt = s.thread.worktreePath
  return {
    worktree: tree(wt),
    status: git(wt, 'status', '--porcelain', '--ignored'),
    // Skein's own checkpoints before each turn are not the commands' doing: their refs and objects are set aside.
    refs: git(s.repoPath, 'for-each-ref', '--format=%(refname) %(objectname)')
      .split('\n')
      .filter((l) => !l.startsWith('refs/skein/checkpoints/')),
    config: readFileSync(join(s.repoPath, '.git', 'config'), 'utf8'),
    objects: objectsBesideCheckpoints(s.repoPath),
    repoFiles: tree(s.repoPath, (r) => r === '.git'),
    outside: tree(outside),
    parent: readdirSync(dirname(wt)).sort(),
    home: tree(homedir(), (r) => r.startsWith('.cache') || r.startsWith('.npm')),
    tmpMarkers: readdirSync('/tmp').filter((n) => n.includes(token))
  }
}

describe.skipIf(!hasBwrap)(`Plan mode in the read-only sandbox (skipped: ${NO_BWRAP})`, () => {
  it('a catalogue of 48 commands that write or execute changes nothing, even when every one is approved', async () => {
    const s = await setup('plan', { listenSocket: true })
    const outside = tempDir('skein-outside-')
    const token = `skein-escape-${process.pid}-${Date.now()}`
    // Something listening, to prove that no command reaches the network or a Unix socket.
    let httpHits = 0
    const http = createHttpServer((_q, r) => {
      httpHits++
      r.end('hello')
    })
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r))
    const port = (http.address() as { port: number }).port
    let unixHits = 0
    const sockPath = join(outside, '..', `${token}.sock`)
    const unix = createNetServer((c) => {
      unixHits++
      c.end()
    })
    await new Promise<void>((r) => unix.listen(sockPath, r))
    const O = outside
    const skeinSock = join(s.home, 'skein.sock')
    expect(existsSync(skeinSock)).toBe(true)
    const catalogue = [
      `touch ${O}/t1`,
      `env touch ${O}/t2`,
      `git grep -O'touch ${O}/t3' answer`,
      `printf 'touch ${O}/t4\\n' > x.sh; chmod +x x.sh; rg --pre ./x.sh answer`,
      `printf 'b\\na\\n' | sort --compress-program=sh -S 1 -T . ; sort --compress-program='touch ${O}/t5' README.md`,
      `uniq README.md ${O}/t6`,
      `git remote add evil https://example.com/x.git`,
      `git branch evil-branch`,
      `echo x > ${O}/t9`,
      `echo x > t10`,
      `rm README.md`,
      `mv README.md moved.md`,
      `cp README.md ${O}/t13`,
      `mkdir ${O}/d14`,
      `tee ${O}/t15 < README.md`,
      `dd if=README.md of=${O}/t16`,
      `sed -i s/test/pwned/ README.md`,
      `perl -e 'open(F, ">", "${O}/t18") or die "perl: $!"'`,
      `bash -c 'touch ${O}/t19'`,
      `sh -c 'echo > ${O}/t20'`,
      `node -e "require('fs').writeFileSync('${O}/t21', 'x')"`,
      `find . -name README.md -exec touch ${O}/t22 \\;`,
      `find . -name README.md -delete`,
      `echo ${O}/t24 | xargs touch`,
      `git commit --allow-empty -m pwned`,
      `git checkout -b other`,
      `git tag v-pwned`,
      `git config user.name pwned`,
      `ln -s /etc ${O}/t29`,
      `chmod 777 README.md`,
      `truncate -s 0 README.md`,
      `install -D README.md ${O}/t32/x`,
      `nohup touch ${O}/t33`,
      `setsid touch ${O}/t34`,
      `(touch ${O}/t35)`,
      `echo pwned >> ~/.bashrc`,
      `touch /tmp/${token}-37`,
      `mkfifo ${O}/t38`,
      `git update-ref refs/heads/pwned HEAD`,
      `printf pwned | git hash-object -w --stdin`,
      `cd .. && touch ${token}-41; cd -`,
      `script -qc 'touch ${O}/t42' /dev/null`,
      `awk 'BEGIN { system("touch ${O}/t43") }'`,
      `curl -s -m 5 -o ${O}/t44 http://127.0.0.1:${port}/`,
      `exec 3>${O}/t45; echo x >&3`,
      `node -e "require('net').connect('${sockPath}').on('connect', () => console.log('connected'))"`,
      `node -e "require('net').connect('${skeinSock}').on('connect', () => console.log('connected to skein'))"`,
      `git -c core.pager='touch ${O}/t48' log -1 --paginate`
    ]
    expect(catalogue.length).toBeGreaterThanOrEqual(40)
    const before = snapshot(s, outside, token)
    const ts = await runCommands(s, catalogue)
    expect(ts).toHaveLength(catalogue.length)
    const after = snapshot(s, outside, token)
    expect(after).toEqual(before)
    expect(httpHits).toBe(0)
    expect(unixHits).toBe(0)
    // Every command ran (or was refused) and none reported the writes as done.
    for (const t of ts) expect(t.tool!.output).not.toMatch(/^connected/m)
    // The ones the policy knows are not read-only asked first; the approval card said where they run.
    const cards = (await s.core.agent.items(s.thread.id)).filter((i) => i.kind === 'approval')
    expect(cards.length).toBeGreaterThanOrEqual(40)
    expect(cards[0]!.approval!.note).toMatch(/read-only sandbox/)
    const shells = (await s.core.ptys.list(s.thread.id)).filter((p) => p.title === 'Agent shell')
    expect(shells.map((p) => p.sandbox)).toEqual(['read-only'])
    await new Promise<void>((r) => http.close(() => r()))
    await new Promise<void>((r) => unix.close(() => r()))
  })

  it('read-only investigation commands still run, without asking, and see the repository', async () => {
    const s = await setup('plan')
    const ts = await runCommands(s, [
      'git log --oneline',
      'git diff HEAD',
      'ls -la src',
      'cat README.md',
      `echo '{"a":7}' | jq .a`,
      'grep -rn answer src',
      'git status --short',
      'pwd',
      'rg -n answer'
    ])
    expect(s.approvals.filter((a) => a.threadId === s.thread.id)).toHaveLength(0)
    expect(ts.map((t) => t.tool!.exitCode)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0])
    expect(ts[8]!.tool!.output).toBe('src/app.ts\n1:export const answer = 42')
    expect(ts[4]!.tool!.output).toBe('7')
    expect(ts[0]!.tool!.output).toMatch(/initial/)
    expect(ts[2]!.tool!.output).toMatch(/app\.ts/)
    expect(ts[3]!.tool!.output).toBe('# test repo')
    expect(ts[5]!.tool!.output).toMatch(/src\/app\.ts:1:export const answer = 42/)
    expect(ts[7]!.tool!.output).toBe(s.thread.worktreePath)
  })

  it('an approved command gets a private writable temp folder and sees only its own processes', async () => {
    const s = await setup('plan')
    process.env.PROBE_API_KEY = 'sk-secret-1'
    process.env.PROBE_GH_TOKEN = 'ghp-secret-2'
    const ts = await runCommands(s, [
      'f=$(mktemp) && echo kept > "$f" && cat "$f" && echo "$TMPDIR"',
      'ps -e -o pid= | wc -l',
      'echo $SKEIN_SANDBOX',
      'env | grep -c secret- ; echo "[$SKEIN_THREAD_ID]"'
    ])
    delete process.env.PROBE_API_KEY
    delete process.env.PROBE_GH_TOKEN
    // The core's keys and tokens stay out of the sandbox (a command with network access cannot send them off).
    expect(ts[3]!.tool!.output).toBe(`0\n[${s.thread.id}]`)
    const [kept, tmp] = ts[0]!.tool!.output!.split('\n') as [string, string]
    expect(kept).toBe('kept')
    expect(tmp).toMatch(/skein-sandbox-/)
    // bwrap, the shell, ps and wc: a fresh PID namespace, not the machine's hundreds of processes.
    expect(Number(ts[1]!.tool!.output!.trim())).toBeLessThan(10)
    expect(ts[2]!.tool!.output).toBe('read-only')
    // The private temp folder goes when the shell ends.
    const shell = (await s.core.ptys.list(s.thread.id))[0]!
    must(await s.core.ptys.close(shell.id))
    await eventually(() => !existsSync(tmp), 'the private temp folder to be removed')
  })
})

describe.skipIf(!hasBwrap)(`the worktree sandbox of the other modes (skipped: ${NO_BWRAP})`, () => {
  it('lets commands write and commit inside the worktree, and nothing outside it', async () => {
    const s = await setup('auto')
    const outside = tempDir('skein-outside-')
    const wt = s.thread.worktreePath
    writeFileSync(join(outside, 'keep.txt'), 'keep\n')
    git(s.repoPath, 'update-ref', 'refs/skein/checkpoints/other/1', 'HEAD')
    const before = {
      outside: tree(outside),
      config: readFileSync(join(s.repoPath, '.git', 'config'), 'utf8'),
      skeinRef: git(s.repoPath, 'rev-parse', 'refs/skein/checkpoints/other/1'),
      dotGit: readFileSync(join(wt, '.git'), 'utf8'),
      hooks: tree(join(s.repoPath, '.git', 'hooks')),
      main: git(s.repoPath, 'rev-parse', 'main')
    }
    const ts = await runCommands(s, [
      'echo made > inside.txt && cat inside.txt',
      'git add inside.txt && git -c user.name=A -c user.email=a@example.com commit -qm "from the sandbox" && git log -1 --format=%s',
      `touch ${outside}/escaped`,
      `echo x >> ${outside}/keep.txt`,
      `git config core.fsmonitor 'touch ${outside}/fsmonitor'`,
      'echo "gitdir: /tmp/forged" > .git',
      'git update-ref -d refs/skein/checkpoints/other/1',
      `printf '#!/bin/sh\\ntouch ${outside}/hook\\n' > "$(git rev-parse --git-common-dir)/hooks/post-commit"`,
      'git update-ref refs/heads/main HEAD',
      'git tag -f pwned HEAD',
      `curl -s -m 5 http://127.0.0.1:1/ ; echo "curl exit $?"`,
      'echo $SKEIN_SANDBOX'
    ])
    expect(ts[0]!.tool!.output).toBe('made')
    expect(ts[1]!.tool!.output).toBe('from the sandbox')
    expect(git(wt, 'log', '-1', '--format=%s', threadOf(s).branch!)).toBe('from the sandbox')
    expect(ts.slice(2, 10).map((t) => t.tool!.isError)).toEqual([true, true, true, true, true, true, true, true])
    expect(ts[11]!.tool!.output).toBe('worktree')
    expect(git(s.repoPath, 'tag', '--list')).toBe('')
    expect({
      outside: tree(outside),
      config: readFileSync(join(s.repoPath, '.git', 'config'), 'utf8'),
      skeinRef: git(s.repoPath, 'rev-parse', 'refs/skein/checkpoints/other/1'),
      dotGit: readFileSync(join(wt, '.git'), 'utf8'),
      hooks: tree(join(s.repoPath, '.git', 'hooks')),
      main: git(s.repoPath, 'rev-parse', 'main')
    }).toEqual(before)
    expect(existsSync(join(wt, 'inside.txt'))).toBe(true)
  })

  it('with the sandbox turned off for the thread, commands run unsandboxed (the person chose it)', async () => {
    const s = await setup('auto')
    must(await s.core.agent.configure(s.thread.id, { sandbox: false }))
    const outside = tempDir('skein-outside-')
    const ts = await runCommands(s, [`touch ${outside}/allowed && echo "[$SKEIN_SANDBOX]"`])
    expect(ts[0]!.tool!.output).toBe('[]')
    expect(existsSync(join(outside, 'allowed'))).toBe(true)
    expect((await s.core.ptys.list(s.thread.id)).map((p) => p.sandbox)).toEqual([null])
  })

  it('network access is off until the person allows it for the thread', async () => {
    let hits = 0
    const http = createHttpServer((_q, r) => {
      hits++
      r.end('reached')
    })
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r))
    const port = (http.address() as { port: number }).port
    const s = await setup('plan')
    const url = `http://127.0.0.1:${port}/`
    const off = await runCommands(s, [`curl -s -m 5 ${url}; echo " exit $?"`])
    expect(off[0]!.tool!.output).not.toMatch(/reached/)
    expect(hits).toBe(0)
    must(await s.core.agent.configure(s.thread.id, { network: true }))
    // The host's loopback is not in the sandbox's network namespace; with network allowed it is the host's.
    const on = await runCommands(s, [`curl -s -m 5 ${url}`])
    expect(on[0]!.tool!.output).toBe('reached')
    expect(hits).toBe(1)
    // Still read-only: network access does not open the file system.
    const outside = tempDir('skein-outside-')
    await runCommands(s, [`touch ${outside}/x`])
    expect(readdirSync(outside)).toEqual([])
    await new Promise<void>((r) => http.close(() => r()))
  })
})

describe('without an OS sandbox', () => {
  it('says so in the thread, and Plan mode asks before every command not on the read-only list', async () => {
    process.env.SKEIN_SANDBOX = 'off'
    const s = await setup('plan')
    const outside = tempDir('skein-outside-')
    server.push({ toolUses: [{ name: 'bash', input: { command: `env touch ${outside}/t` } }] }, { text: 'ok' })
    must(await s.core.agent.startTurn(s.thread.id, 'go'))
    await eventually(() => s.approvals.length === 1, 'the approval card')
    expect(existsSync(join(outside, 't'))).toBe(false)
    expect(s.approvals[0]!.approval!.note).toMatch(/without a sandbox on this machine.*full access/)
    must(await s.core.agent.respond(s.thread.id, s.approvals[0]!.id, 'deny'))
    await eventually(() => threadOf(s).conversation.busy === false, 'the turn to end')
    const notices = (await s.core.agent.items(s.thread.id)).filter((i) => i.kind === 'notice').map((i) => i.text)
    expect(
      notices.some((t) => /No OS sandbox on this machine: the sandbox is turned off \(SKEIN_SANDBOX=off\)\. Plan mode asks/.test(t ?? ''))
    ).toBe(true)
    expect(existsSync(join(outside, 't'))).toBe(false)
    expect((await s.core.agent.settings()).sandbox).toEqual({ kind: 'none', reason: 'the sandbox is turned off (SKEIN_SANDBOX=off)' })
    // Read-only commands still run without asking.
    const ts = await runCommands(s, ['git log --oneline'])
    expect(ts[0]!.tool!.output).toMatch(/initial/)
    expect(s.approvals).toHaveLength(1)
  })
})

it('the test outside folders are really writable outside a sandbox (so the catalogue proves something)', () => {
  const outside = tempDir('skein-outside-')
  execFileSync('bash', ['-c', `env touch ${outside}/a && uniq /etc/hostname ${outside}/b`], { cwd: outside })
  expect(readdirSync(outside).sort()).toEqual(['a', 'b'])
  mkdirSync(join(outside, 'd'))
  expect(statSync(join(outside, 'd')).isDirectory()).toBe(true)
})
