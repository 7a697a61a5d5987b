/**
 * A seccomp program (classic BPF, in the form bubblewrap's `--seccomp FD` reads) that makes
 * `socket(AF_UNIX, …)` and io_uring fail with EACCES inside the sandbox.
 *
 * Why: a read-only filesystem does not stop a process from connecting to a Unix socket that
 * already exists, and many of them are doors out of the box: Skein's own skein.sock (which can
 * open an unsandboxed terminal), the D-Bus session bus (systemd-run), docker.sock, an X11
 * display, the ssh agent. Abstract sockets ignore the filesystem entirely. Refusing to create
 * AF_UNIX sockets closes all of them at once; socketpair() (private pipes between a process and
 * its children) keeps working. io_uring is refused because its IORING_OP_SOCKET creates sockets
 * without the socket() system call. A process of another architecture (a 32-bit binary, whose
 * socketcall() this filter does not parse) is killed.
 */

const BPF_LD_W_ABS = 0x20
const BPF_JEQ_K = 0x15
const BPF_JGE_K = 0x35
const BPF_RET_K = 0x06
const RET_ALLOW = 0x7fff0000
const RET_KILL_PROCESS = 0x80000000
const RET_ERRNO_EACCES = 0x00050000 | 13
const AF_UNIX = 1
const OFFSET_NR = 0
const OFFSET_ARCH = 4
const OFFSET_ARG0 = 16

/** The architectures the filter knows: their audit arch and system call numbers. */
export const SECCOMP_ARCHES = {
  x64: { audit: 0xc000003e, socket: 41, ioUring: [425, 426, 427], x32Bit: 0x40000000 },
  arm64: { audit: 0xc00000b7, socket: 198, ioUring: [425, 426, 427], x32Bit: null }
} as const

type Insn = [code: number, jt: number, jf: number, k: number]

/** The filter for `arch` (a Node `process.arch`), or null where it is not known. */
export function unixSocketFilter(arch: string = process.arch): Buffer | null {
  const a = SECCOMP_ARCHES[arch as keyof typeof SECCOMP_ARCHES]
  if (!a) return null
  // Jump offsets count instructions after the current one; the three returns close the program.
  const body: Insn[] = []
  body.push([BPF_LD_W_ABS, 0, 0, OFFSET_ARCH])
  body.push([BPF_JEQ_K, 1, 0, a.audit])
  body.push([BPF_RET_K, 0, 0, RET_KILL_PROCESS])
  body.push([BPF_LD_W_ABS, 0, 0, OFFSET_NR])
  const checks: Array<{ insn: Insn; to: 'deny' | 'unix' }> = []
  if (a.x32Bit !== null) checks.push({ insn: [BPF_JGE_K, 0, 0, a.x32Bit], to: 'deny' })
  for (const nr of a.ioUring) checks.push({ insn: [BPF_JEQ_K, 0, 0, nr], to: 'deny' })
  checks.push({ insn: [BPF_JEQ_K, 0, 0, a.socket], to: 'unix' })
  // Layout after the checks: [allow] [ld arg0] [jeq AF_UNIX → deny] [allow] [deny]
  const n = checks.length
  checks.forEach(({ insn, to }, i) => {
    const after = n - 1 - i // checks left after this one
    const unixAt = after + 1
    const denyAt = after + 4
    body.push([insn[0], to === 'deny' ? denyAt : unixAt, 0, insn[3]])
  })
  body.push([BPF_RET_K, 0, 0, RET_ALLOW])
  body.push([BPF_LD_W_ABS, 0, 0, OFFSET_ARG0])
  body.push([BPF_JEQ_K, 1, 0, AF_UNIX])
  body.push([BPF_RET_K, 0, 0, RET_ALLOW])
  body.push([BPF_RET_K, 0, 0, RET_ERRNO_EACCES])
  const out = Buffer.alloc(body.length * 8)
  body.forEach(([code, jt, jf, k], i) => {
    out.writeUInt16LE(code, i * 8)
    out.writeUInt8(jt, i * 8 + 2)
    out.writeUInt8(jf, i * 8 + 3)
    out.writeUInt32LE(k >>> 0, i * 8 + 4)
  })
  return out
}
