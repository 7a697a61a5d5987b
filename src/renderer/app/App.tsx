import type { ReactElement } from 'react'
import { Sidebar } from '../features/sidebar/Sidebar'
import { Toaster } from '../features/toasts/Toaster'
import { MenuHost } from '../ui/Menu'
import { ConnectionBanner } from './ConnectionBanner'
import { useConnection } from './connection-store'
import { DialogHost } from './DialogHost'
import { MainArea } from './MainArea'
import { useGlobalShortcuts } from './use-global-shortcuts'

/** The app shell: connection banner, sidebar, main area, and the dialog/menu/toast layers. */
export function App(): ReactElement {
  useGlobalShortcuts()
  const status = useConnection((s) => s.status)
  if (status === 'no-token') return <NoTokenScreen />
  return (
    <div className="app">
      <ConnectionBanner />
      <div className="app-body">
        <Sidebar />
        <main className="main">
          <MainArea />
        </main>
      </div>
      <DialogHost />
      <MenuHost />
      <Toaster />
    </div>
  )
}

function NoTokenScreen(): ReactElement {
  return (
    <main className="empty-state full-screen">
      <h1>This link is missing its access token</h1>
      <p>
        Open the address printed by <code>skein serve</code>. It ends in <code>?token=…</code>, which lets this tab reach the Skein core.
      </p>
    </main>
  )
}
