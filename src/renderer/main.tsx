import './zod-jitless'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App'
import { startConnection } from './app/connection'
import { startTheme } from './ui/theme'
import './styles/theme.css'
import './styles/base.css'
import './styles/components.css'
import './styles/views.css'
import './styles/dashboard.css'
import './styles/terminal.css'
import './styles/conversation.css'
import './styles/changes.css'
import './styles/ci.css'
import './styles/pr.css'
import './styles/handoff.css'
import './styles/new-thread.css'
import './styles/disk.css'
import './styles/checkpoints.css'
import './styles/checkpoint-marks.css'
import './styles/search.css'

const root = document.getElementById('root')
if (!root) throw new Error('Skein: #root is missing from index.html')
startTheme()
startConnection()
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>
)
