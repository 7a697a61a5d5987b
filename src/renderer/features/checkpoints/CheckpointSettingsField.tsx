import { useEffect, useState, type ReactElement } from 'react'
import type { CheckpointSettings } from '../../../shared/checkpoints'
import { notifySuccess } from '../../state/notify'
import { errorMessage, request } from '../../state/rpc'
import { FormError } from '../../ui/Dialog'

const LIMITS = { maxPerThread: [10, 10_000], maxAgeDays: [1, 3650] } as const

/** The Settings fields for checkpoint pruning: how many a thread keeps, and for how many days. */
export function CheckpointSettingsField(): ReactElement {
  const [current, setCurrent] = useState<CheckpointSettings | null>(null)
  const [count, setCount] = useState('')
  const [days, setDays] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)

  useEffect(() => {
    request('checkpoint/settings', {}).then(
      (s) => {
        setCurrent(s)
        setCount(String(s.maxPerThread))
        setDays(String(s.maxAgeDays))
      },
      (e: unknown) => setError(`Could not read the checkpoint settings: ${errorMessage(e)}`)
    )
  }, [])

  const next = { maxPerThread: Number(count), maxAgeDays: Number(days) }
  const changed = !!current && (String(current.maxPerThread) !== count || String(current.maxAgeDays) !== days)
  const save = async () => {
    for (const [key, [min, max]] of Object.entries(LIMITS) as Array<[keyof CheckpointSettings, readonly [number, number]]>) {
      const v = next[key]
      if (!Number.isInteger(v) || v < min || v > max)
        return setError(
          `${key === 'maxPerThread' ? 'Checkpoints per thread' : 'Days kept'}: a whole number from ${min} to ${max.toLocaleString('en-US')}.`
        )
    }
    setSaving(true)
    setError(null)
    try {
      const saved = await request('checkpoint/configure', next)
      setCurrent(saved)
      notifySuccess('Checkpoint pruning saved', `Each thread keeps up to ${saved.maxPerThread} checkpoints for ${saved.maxAgeDays} days.`)
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setSaving(false)
    }
  }

  return (
    <div className="checkpoint-setting" role="group" aria-labelledby="settings-checkpoints">
      <span className="field-label" id="settings-checkpoints">
        Checkpoints
      </span>
      <div className="checkpoint-setting-row">
        <label className="checkpoint-setting-field">
          <span>Keep up to</span>
          <input
            className="input checkpoint-setting-input"
            type="number"
            aria-label="Checkpoints kept per thread"
            min={LIMITS.maxPerThread[0]}
            max={LIMITS.maxPerThread[1]}
            value={count}
            disabled={!current}
            onChange={(e) => {
              setCount(e.target.value)
              if (error) setError(null)
            }}
          />
          <span>per thread, for</span>
        </label>
        <label className="checkpoint-setting-field">
          <input
            className="input checkpoint-setting-input"
            type="number"
            aria-label="Days checkpoints are kept"
            min={LIMITS.maxAgeDays[0]}
            max={LIMITS.maxAgeDays[1]}
            value={days}
            disabled={!current}
            onChange={(e) => {
              setDays(e.target.value)
              if (error) setError(null)
            }}
          />
          <span>days</span>
        </label>
        <button type="button" className="btn" disabled={!changed || saving} onClick={() => void save()}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
      <p className="field-hint">
        Older checkpoints are pruned; the newest 10 of each thread are always kept. They live in the repository as hidden refs (
        <code>refs/skein/checkpoints/…</code>).
      </p>
      <FormError message={error} />
    </div>
  )
}
