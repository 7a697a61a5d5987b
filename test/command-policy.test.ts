import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isReadOnlyCommand, readOnlyVerdict } from '../src/main/core/agent/tools/read-only-commands'

/** Command lines that write or run something: Plan mode must ask before running any of them. */
export const WRITES_OR_RUNS = [
  // The attacks the old regex policy accepted.
  'env touch /outside',
  "git grep -O'touch /outside' x",
  'rg --pre ./x.sh foo',
  'sort --compress-program=sh a',
  'uniq a b',
  'git remote add o https://example.com/x.git',
  'git branch X',
  // Redirections and substitutions.
  'echo x > f',
  'cat a >> b',
  'ls 2> err',
  'ls &> f',
  'ls >& f',
  'ls >| f',
  'cat <> f',
  'cat <<< x',
  '$(touch x)',
  'echo `touch x`',
  'echo "`touch x`"',
  'cat <(touch x)',
  'cat >(touch x)',
  'echo $(id)',
  'cat $HOME/x',
  'echo "${x}"',
  "echo $'\\x3b' && true",
  'ls {-o,out}',
  'sort {-o,out} a',
  'uniq {a,b}',
  // Sequences and pipelines with a part that is not read-only.
  'ls; rm -rf x',
  'ls && touch x',
  'ls || touch x',
  'ls | sh',
  'ls | xargs rm',
  'ls |& tee f',
  'ls &',
  'ls & touch x',
  'ls\ntouch x',
  'ls\r\ntouch x',
  'ls a#; touch x',
  '(touch x)',
  '{ touch x; }',
  "echo 'unterminated",
  // find, rg, sort, uniq, tree, date, file, printf.
  'find . -delete',
  'find . -exec rm {} \\;',
  'find . -execdir rm {} +',
  'find . -ok rm {} \\;',
  'find . -fprint out',
  'find . -fprintf out %p',
  'find . -fls out',
  'find *',
  'rg --pre=./x.sh foo',
  "rg --pre-glob '*' --pre ./x foo",
  'rg --hostname-bin=./x foo',
  'sort -o out a',
  'sort -ro out a',
  'sort --output=out a',
  'sort --out=out a',
  'sort --compress=sh a',
  'sort *',
  'uniq -c a b',
  'uniq a *',
  'tree -o out',
  'tree -ao out',
  'tree -R',
  'date -s 2020-01-01',
  'date --set=2020-01-01',
  'date -us 2020-01-01',
  'file -C -m magic',
  'printf -v PROMPT_COMMAND "touch x"',
  // git.
  'git grep --open-files-in-pager=vi x',
  'git grep --open=vi x',
  'git grep -Ovi x',
  'git grep -nOvi x',
  'git -c core.pager=sh log',
  "git -c alias.x='!sh' x",
  'git -C /tmp/evil status',
  'git --git-dir=/tmp/evil log',
  'git --exec-path=/tmp log',
  'git -p log',
  'git --paginate log',
  'git branch -D x',
  'git branch -m a b',
  'git branch -c a b',
  'git branch --set-upstream-to=o/x',
  'git branch -a X',
  'git branch *',
  'git tag v1',
  'git tag -d v1',
  'git tag -a v1 -m x',
  'git remote add o url',
  'git remote remove o',
  'git remote rename o p',
  'git remote set-url o u',
  'git remote prune o',
  'git remote update',
  'git remote show o',
  'git config user.name x',
  'git config --unset x',
  'git config --add x y',
  'git config --get x --unset',
  'git config -e',
  'git config --list --replace-all x y',
  'git diff --output=f',
  'git diff --output f',
  'git log --output=f',
  'git show --output=f HEAD',
  'git diff --ext-diff',
  'git show --textconv HEAD:a',
  'git cat-file --textconv HEAD:a',
  'git cat-file --filters HEAD:a',
  'git commit -m x',
  'git checkout x',
  'git stash',
  'git push',
  'git fetch',
  'git gc',
  'git',
  // Commands that are not read-only, or that run other commands.
  'sed -i s/a/b/ f',
  "sed -n '1w out' f",
  'awk \'BEGIN{system("touch x")}\'',
  "bash -c 'touch x'",
  'sh x.sh',
  'python3 -c \'open("x","w")\'',
  'node -e 1',
  'npm install',
  'make',
  'touch x',
  'rm x',
  'mv a b',
  'cp a b',
  'mkdir d',
  'tee f',
  'dd of=f',
  'nohup ls',
  'time touch x',
  'timeout 5 touch x',
  'FOO=bar ls',
  'GIT_PAGER=sh git log',
  'exec ls',
  'eval ls',
  'command touch x',
  'builtin cd /',
  'source x',
  '. x',
  'xargs rm',
  'cd /',
  '/bin/touch x',
  './x.sh',
  '',
  '   '
]

/** Command lines an investigation uses that only read: Plan mode runs them without asking. */
export const READ_ONLY = [
  'git log --oneline -20',
  'git log -p -- src/a.ts',
  'git log --stat --author=me --since=2.weeks',
  'git diff HEAD~1',
  'git diff --stat',
  'git diff --no-ext-diff main...HEAD -- src',
  'git show HEAD:README.md',
  'git show --stat HEAD~2',
  'git status --short',
  'git status',
  'git blame -L 1,20 src/a.ts',
  'git ls-files',
  'git ls-tree -r HEAD --name-only',
  'git rev-parse --show-toplevel',
  'git describe --tags',
  'git shortlog -sn',
  'git cat-file -p HEAD',
  'git branch',
  'git branch -a',
  'git branch -vv',
  'git branch --show-current',
  "git branch --list 'feat/*'",
  'git branch --contains HEAD~3',
  'git tag',
  'git tag -l',
  "git tag --list 'v1.*'",
  'git remote',
  'git remote -v',
  'git remote get-url origin',
  'git remote show -n origin',
  'git config --get user.name',
  'git config --list',
  'git config --get-regexp ^remote',
  'git --no-pager log -5',
  "git grep -n foo -- '*.ts'",
  "rg -n 'foo bar' src",
  'rg --files',
  "rg -g '*.ts' -t ts TODO",
  'ls -la',
  'ls',
  'cat README.md',
  'head -n 50 src/a.ts',
  'tail -f log.txt',
  'tail -n 20 README.md',
  'wc -l src/*.ts',
  "find . -name '*.ts' -type f",
  'find src -maxdepth 2 -type d -print',
  'jq .scripts package.json',
  "jq -r '.dependencies | keys[]' package.json",
  'grep -rn TODO src',
  "grep -rn 'a > b' src",
  'sort a | uniq -c',
  'sort -k 2 -t , a',
  'uniq a',
  'uniq -c -f 1 a',
  'du -sh .',
  'df -h',
  'stat README.md',
  'file README.md',
  'tree -L 2 src',
  'diff a b',
  'cmp a b',
  'cut -d: -f1 a',
  'basename src/a.ts',
  'dirname src/a.ts',
  'realpath .',
  'date',
  'date -u +%Y-%m-%d',
  'uname -a',
  'whoami',
  'pwd',
  'which node',
  'true',
  "printf '%s\\n' a b",
  'git log --oneline | head -5',
  'ls && cat README.md',
  'ls; pwd',
  'cat a 2>&1',
  'git log 2>/dev/null | head',
  'ls >/dev/null',
  'cat < README.md',
  "echo 'quoted > not a redirect'",
  "echo 'a $HOME literal'",
  "grep -n '#' src/a.ts",
  'ls ~/x'
]

describe('readOnlyVerdict', () => {
  it.each(WRITES_OR_RUNS)('refuses %j', (command) => {
    const verdict = readOnlyVerdict(command)
    expect(verdict.readOnly).toBe(false)
    if (!verdict.readOnly) expect(verdict.reason.length).toBeGreaterThan(10)
    expect(isReadOnlyCommand(command)).toBe(false)
  })

  it.each(READ_ONLY)('allows %j', (command) => {
    expect(readOnlyVerdict(command)).toEqual({ readOnly: true })
    expect(isReadOnlyCommand(command)).toBe(true)
  })

  it('gives a reason a person or the model can act on', () => {
    expect(readOnlyVerdict('env touch x')).toEqual({ readOnly: false, reason: '`env` runs other commands, so it is not read-only' })
    expect(readOnlyVerdict('sort --compress-program=sh a')).toEqual({ readOnly: false, reason: '`sort --compress-program` runs a program' })
    expect(readOnlyVerdict('uniq a b')).toMatchObject({ reason: expect.stringContaining('output file') })
    expect(readOnlyVerdict('echo x > f')).toMatchObject({ reason: expect.stringContaining('redirect') })
    expect(readOnlyVerdict('ls && touch x')).toMatchObject({ reason: expect.stringContaining('`touch`') })
    // `uniq a 2 >&1` writes a file named 2, and the parser cannot tell it from `uniq a 2>&1`: refused, saying why.
    expect(readOnlyVerdict('uniq a 2>&1')).toMatchObject({ reason: expect.stringContaining('drop the redirection') })
    expect(readOnlyVerdict('git branch 2>/dev/null')).toMatchObject({ readOnly: false })
    expect(readOnlyVerdict('git status 2>&1')).toEqual({ readOnly: true })
  })
})

function has(program: string): boolean {
  return spawnSync('bash', ['-c', `command -v ${program}`]).status === 0
}

// The catalogue is honest: run by bash, these entries really write or run something.
describe('the write catalogue holds real attacks', () => {
  let dir = ''
  const run = (command: string) =>
    spawnSync('bash', ['-c', command], { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: dir } })
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'skein-policy-'))
    writeFileSync(join(dir, 'a'), 'foo\nfoo\nbar\n')
    writeFileSync(join(dir, 'x.sh'), '#!/bin/sh\ntouch pre-ran\ncat "$1"\n')
    chmodSync(join(dir, 'x.sh'), 0o755)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const cases: Array<[command: string, writes: string]> = [
    ['env touch by-env', 'by-env'],
    ['uniq a b', 'b'],
    // sort pipes its temp files through the program once they spill past the buffer: `sh` then runs the lines it sorts.
    ['sort -S 1k --compress-program=sh big', 'by-compress'],
    ['find . -name a -fprint by-find', 'by-find'],
    ['sort -o by-sort a', 'by-sort'],
    ["git grep -O'touch by-grep' foo", 'by-grep']
  ]
  it.each(cases)('%j writes %j', (command, file) => {
    if (command.startsWith('git grep')) expect(run('git init -q . && git add a').status).toBe(0)
    if (command.includes('compress-program')) writeFileSync(join(dir, 'big'), 'touch by-compress\n'.repeat(500))
    run(command)
    expect(existsSync(join(dir, file)), command).toBe(true)
    expect(readOnlyVerdict(command).readOnly).toBe(false)
  })
  it.skipIf(!has('rg'))('"rg --pre ./x.sh foo" runs the preprocessor', () => {
    run('rg --pre ./x.sh foo a')
    expect(existsSync(join(dir, 'pre-ran'))).toBe(true)
    expect(readOnlyVerdict('rg --pre ./x.sh foo a').readOnly).toBe(false)
  })
  it('"git branch X" creates a branch', () => {
    const repo = mkdtempSync(join(tmpdir(), 'skein-policy-git-'))
    try {
      const git = (c: string) =>
        spawnSync('bash', ['-c', c], {
          cwd: repo,
          encoding: 'utf8',
          env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' }
        })
      expect(git('git init -q . && git commit -q --allow-empty -m init').status).toBe(0)
      git('git branch X')
      expect(git('git rev-parse --verify -q refs/heads/X').status).toBe(0)
      expect(readOnlyVerdict('git branch X').readOnly).toBe(false)
    } finally {
      rmSync(repo, { recursive: true, force: true })
    }
  })
})
