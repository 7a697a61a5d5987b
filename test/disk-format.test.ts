import { describe, expect, it } from 'vitest'
import { formatBytes, parseBytes } from '../src/shared/disk'

describe('budget sizes as people write them', () => {
  it('reads sizes with or without units and spaces, binary units as du -h shows them', () => {
    expect(parseBytes('20 GB')).toBe(20 * 1024 ** 3)
    expect(parseBytes('500MB')).toBe(500 * 1024 ** 2)
    expect(parseBytes('1.5 tb')).toBe(1.5 * 1024 ** 4)
    expect(parseBytes('64k')).toBe(64 * 1024)
    expect(parseBytes('2 GiB')).toBe(2 * 1024 ** 3)
    expect(parseBytes('4096')).toBe(4096)
    for (const bad of ['', 'lots', '20 PB', '-5 GB', '1e9', '5 G B']) expect(parseBytes(bad), bad).toBeNull()
  })

  it('writes what it reads back', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(1023)).toBe('1023 B')
    expect(formatBytes(6 * 1024 * 1024)).toBe('6.0 MB')
    expect(formatBytes(317 * 1024 * 1024)).toBe('317 MB')
    expect(formatBytes(3.09 * 1024 ** 3)).toBe('3.1 GB')
    for (const n of [6 * 1024 ** 2, 20 * 1024 ** 3, 512 * 1024]) expect(parseBytes(formatBytes(n))).toBe(n)
  })
})
