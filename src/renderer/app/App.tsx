import { useEffect, type ReactElement } from 'react'
import { startViewingSync } from '../features/attention'
import { startCiNewsSync } from '../features/ci'
import { Sidebar } from '../features/sidebar'
import { Toaster } from '../features/toasts'
import { MenuHost } from '../ui/Menu'
import { ConnectionBanner } from './ConnectionBanner'
import { DialogHost } from './DialogHost'
import { MainArea } from './MainArea'
import { useGlobalShortcuts } from './use-global-shortcuts'

/** The app shell: connection banner, sidebar, main area, and the dialog/menu/toast layers. */
export function App(): ReactElement {
  useGlobalShortcuts()
  useEffect(() => startViewingSync(), [])
  useEffect(() => startCiNewsSync(), [])
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
