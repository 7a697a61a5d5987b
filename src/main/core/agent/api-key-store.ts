import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '../store/atomic-write'
import type { DataDir } from '../store/data-dir'

/** How the host can protect a stored key (Electron's safeStorage; asynchronous when the core runs in its own process). */
export interface SecretCipher {
  backend: 'safeStorage' | 'plaintext'
  encrypt(text: string): string | Promise<string>
  decrypt(data: string): string | Promise<string>
}

/** Where the key in use comes from. */
export type KeySource = 'env' | 'stored' | 'session' | null

/**
 * The Anthropic API key: ANTHROPIC_API_KEY from the environment, else one entered in Settings —
 * stored encrypted through the host (safeStorage) when it can, else kept in memory for this
 * session only. The key never goes into logs or thread logs.
 */
export class ApiKeyStore {
  private sessionKey: string | null = null
  private stored: string | null = null

  private constructor(
    private readonly file: string,
    private readonly cipher: SecretCipher | null,
    private readonly env: NodeJS.ProcessEnv
  ) {}

  /** Loads a stored key, if there is one and it can be decrypted. */
  static async open(dir: DataDir, cipher: SecretCipher | null, env: NodeJS.ProcessEnv = process.env): Promise<ApiKeyStore> {
    const store = new ApiKeyStore(join(dir.home, 'secrets.json'), cipher, env)
    if (cipher) {
      try {
        const data = JSON.parse(await readFile(store.file, 'utf8')) as { anthropicApiKey?: string }
        if (data.anthropicApiKey) store.stored = await cipher.decrypt(data.anthropicApiKey)
      } catch {
        // none stored, or it cannot be read on this machine: the person enters it again
      }
    }
    return store
  }

  /** The key to use, if any. */
  key(): string | null {
    return this.env.ANTHROPIC_API_KEY?.trim() || this.stored || this.sessionKey
  }

  /** Where the key in use comes from. */
  source(): KeySource {
    if (this.env.ANTHROPIC_API_KEY?.trim()) return 'env'
    if (this.stored) return 'stored'
    return this.sessionKey ? 'session' : null
  }

  /** How an entered key is kept, and what to tell the person about it. */
  storage(): { storage: 'safeStorage' | 'plaintext' | 'memory'; warning: string | null } {
    if (!this.cipher)
      return {
        storage: 'memory',
        warning:
          'This Skein has no secure storage (browser mode): a key entered here is kept in memory until the core stops. Set ANTHROPIC_API_KEY to keep one.'
      }
    if (this.cipher.backend === 'plaintext')
      return {
        storage: 'plaintext',
        warning:
          'Your system offers no keychain to Skein, so a stored key is only obfuscated on disk, not encrypted. Prefer ANTHROPIC_API_KEY.'
      }
    return { storage: 'safeStorage', warning: null }
  }

  /** Stores (or with null forgets) the key entered in Settings. */
  async set(key: string | null): Promise<void> {
    if (!this.cipher) {
      this.sessionKey = key
      return
    }
    if (key === null) {
      this.stored = null
      await rm(this.file, { force: true })
      return
    }
    await writeFileAtomic(this.file, JSON.stringify({ anthropicApiKey: await this.cipher.encrypt(key) }))
    this.stored = key
  }
}
