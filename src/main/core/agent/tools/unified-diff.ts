/** A unified diff of two texts (whole-file hunk with 3 lines of context), for approval cards and the transcript. */
export function unifiedDiff(path: string, before: string, after: string): string {
  const a = before.split('\n')
  const b = after.split('\n')
  // Longest common subsequence on lines; files the agent edits are small enough for O(n·m) with a cap.
  if (a.length * b.length > 4_000_000) return `--- a/${path}\n+++ b/${path}\n@@ (file too large for an inline diff) @@\n`
  const dp: Uint32Array[] = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1))
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) dp[i]![j] = a[i] === b[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!)
  const ops: { t: ' ' | '-' | '+'; line: string; ai: number; bi: number }[] = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) ops.push({ t: ' ', line: a[i++]!, ai: i, bi: ++j })
    else if (j < b.length && (i >= a.length || dp[i]![j + 1]! >= dp[i + 1]![j]!)) ops.push({ t: '+', line: b[j++]!, ai: i, bi: j })
    else ops.push({ t: '-', line: a[i++]!, ai: i, bi: j })
  }
  const changed = ops.map((o, k) => (o.t !== ' ' ? k : -1)).filter((k) => k >= 0)
  if (changed.length === 0) return ''
  const out = [`--- a/${path}`, `+++ b/${path}`]
  let k = 0
  while (k < changed.length) {
    const start = Math.max(0, changed[k]! - 3)
    let end = Math.min(ops.length, changed[k]! + 4)
    while (k + 1 < changed.length && changed[k + 1]! - 3 <= end) end = Math.min(ops.length, changed[++k]! + 4)
    k++
    const hunk = ops.slice(start, end)
    const aStart = hunk.find((o) => o.t !== '+')?.ai ?? 0
    const bStart = hunk.find((o) => o.t !== '-')?.bi ?? 0
    out.push(`@@ -${aStart},${hunk.filter((o) => o.t !== '+').length} +${bStart},${hunk.filter((o) => o.t !== '-').length} @@`)
    for (const o of hunk) out.push(`${o.t}${o.line}`)
  }
  return `${out.join('\n')}\n`
}
