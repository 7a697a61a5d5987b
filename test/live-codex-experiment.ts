import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { startResponsesServer } from './helpers/responses-server'

async function main() {
  const server = await startResponsesServer((body, i) => {
    const input = body.input ?? []
    const outs = input.filter((x: any) => x.type === 'function_call_output')
    const tools = (body.tools ?? []).map((t: any) => t.name ?? t.type)
    if (i === 0) console.log('tools', tools.join(','))
    if (outs.length === 0) return { calls: [{ name: 'exec_command', arguments: { cmd: 'echo ok-$((1+1))' } }, { name: 'exec_command', arguments: { cmd: 'exit 3' } }] }
    return { text: `Done after ${outs.length} outputs.` }
  })
  const home = mkdtempSync('/tmp/live2/home-')
  const codexHome = join(home, '.codex'); mkdirSync(codexHome)
  writeFileSync(join(codexHome, 'config.toml'), `model = "scripted"\nmodel_provider = "local"\n[model_providers.local]\nname = "local"\nbase_url = "${server.url}"\nwire_api = "responses"\nenv_key = "LOCAL_KEY"\n`)
  const proj = mkdtempSync('/tmp/live2/proj-')
  try {
    const child = execFile('/tmp/clis/node_modules/.bin/codex', ['exec', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', 'Run two commands'], { cwd: proj, env: { PATH: process.env.PATH, HOME: home, CODEX_HOME: codexHome, LOCAL_KEY: 'k' }, timeout: 120000 }, (e, stdout, stderr) => console.log('OUT', e?.code, stdout.slice(-500), 'ERR', stderr.slice(-1500)))
    child.stdin!.end()
    await new Promise((r) => child.on('exit', r))
  } catch (e: any) { console.log('FAIL', e.code, e.stdout?.slice(-500), e.stderr?.slice(-2000)) }
  console.log('requests', server.requests.length)
  await server.close()
}
main()
