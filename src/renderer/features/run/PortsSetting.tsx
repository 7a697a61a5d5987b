import { useEffect, useState, type ReactElement } from 'react'
import { MAX_PORTS_PER_THREAD, type PortSettings } from '../../../shared/run'
import { errorMessage, request } from '../../state/rpc'
import { FormError } from '../../ui/Dialog'
import { notifySuccess } from '../../state/notify'

/** The Settings field for how many ports each new thread gets (PORT and SKEIN_PORT_0…N-1). */
export function PortsSetting(): ReactElement {
  const [current, setCurrent] = useState<PortSettings | null>(null)
  const [value, setValue] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)

  useEffect(() => {
    request('ports/settings', {}).then(
      (s) => {
        setCurrent(s)
        setValue(String(s.count))
      },
      (e: unknown) => setError(`Could not read the port settings: ${errorMessage(e)}`)
    )
  }, [])

  const count = Number(value)
  const valid = Number.isInteger(count) && count >= 1 && count <= MAX_PORTS_PER_THREAD
  const save = async () => {
    if (!valid) return setError(`Choose a whole number from 1 to ${MAX_PORTS_PER_THREAD}.`)
    setSaving(true)
    setError(null)
    try {
      setCurrent(await request('ports/configure', { count }))
      notifySuccess(`New threads get ${count} port${count === 1 ? '' : 's'}`)
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setSaving(false)
    }
  }

  return (
    <div className="ports-setting" role="group" aria-label="Ports">
      <label className="field-label" htmlFor="settings-port-count">
        Ports per thread
      </label>
      <div className="ports-setting-row">
        <input
          id="settings-port-count"
          className="input ports-count"
          type="number"
          min={1}
          max={MAX_PORTS_PER_THREAD}
          value={value}
          disabled={!current}
          onChange={(e) => {
            setValue(e.target.value)
            if (error) setError(null)
          }}
        />
        <button type="button" className="btn" disabled={!current || saving || String(current.count) === value} onClick={() => void save()}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
      <p className="field-hint">
        Each thread gets its own range{current ? ` from ${current.first}–${current.last}` : ''}, as <code>PORT</code> and{' '}
        <code>SKEIN_PORT_0</code>…, in every terminal and its dev server. Ports other programs use are skipped. Threads keep the range they
        have.
      </p>
      <FormError message={error} />
    </div>
  )
}
