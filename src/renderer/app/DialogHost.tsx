import type { ReactElement } from 'react'
import { AgentSettingsDialog } from '../features/agents'
import { CheckpointSettingsField, ForkDialog, RewindDialog } from '../features/checkpoints'
import { DiskDialog } from '../features/disk'
import { EnvironmentDialog } from '../features/environment'
import { FanoutDialog } from '../features/fanout'
import { CreatePrDialog } from '../features/pr'
import { ImportSessionsDialog } from '../features/handoff'
import { AddRepoDialog } from '../features/repos'
import { SettingsDialog } from '../features/settings'
import { CloseTerminalDialog } from '../features/terminal'
import { DeleteThreadDialog, NewThreadDialog, RenameThreadDialog } from '../features/threads'
import { useDialogs } from '../state/dialogs-store'

/** Renders whichever modal dialog is open. */
export function DialogHost(): ReactElement | null {
  const dialog = useDialogs((s) => s.dialog)
  const close = useDialogs((s) => s.close)
  if (!dialog) return null
  switch (dialog.kind) {
    case 'add-repo':
      return <AddRepoDialog key="add-repo" onClose={close} />
    case 'new-thread':
      return <NewThreadDialog key={`new-thread:${dialog.repoId ?? ''}`} initialRepoId={dialog.repoId} onClose={close} />
    case 'rename-thread':
      return <RenameThreadDialog key={`rename:${dialog.threadId}`} threadId={dialog.threadId} onClose={close} />
    case 'delete-thread':
      return <DeleteThreadDialog key={`delete:${dialog.threadId}`} threadId={dialog.threadId} onClose={close} />
    case 'agent-settings':
      return <AgentSettingsDialog key={`agent-settings:${dialog.repoId ?? ''}`} repoId={dialog.repoId} onClose={close} />
    case 'close-terminal':
      return <CloseTerminalDialog key={`close-terminal:${dialog.ptyId}`} threadId={dialog.threadId} ptyId={dialog.ptyId} onClose={close} />
    case 'settings':
      return <SettingsDialog key="settings" onClose={close} sections={<CheckpointSettingsField />} />
    case 'fanout':
      return <FanoutDialog key={`fanout:${dialog.repoId ?? ''}`} initialRepoId={dialog.repoId} onClose={close} />
    case 'import-sessions':
      return <ImportSessionsDialog key={`import-sessions:${dialog.repoId ?? ''}`} initialRepoId={dialog.repoId} onClose={close} />
    case 'environment':
      return <EnvironmentDialog key={`environment:${dialog.repoId}`} repoId={dialog.repoId} onClose={close} />
    case 'disk':
      return <DiskDialog key={`disk:${dialog.repoId ?? ''}`} initialRepoId={dialog.repoId} onClose={close} />
    case 'rewind':
      return (
        <RewindDialog
          key={`rewind:${dialog.threadId}:${JSON.stringify(dialog.point)}`}
          threadId={dialog.threadId}
          point={dialog.point}
          onClose={close}
        />
      )
    case 'create-pr':
      return <CreatePrDialog key={`create-pr:${dialog.threadId}`} threadId={dialog.threadId} onClose={close} />
    case 'fork':
      return (
        <ForkDialog
          key={`fork:${dialog.threadId}:${JSON.stringify(dialog.point)}`}
          threadId={dialog.threadId}
          point={dialog.point}
          onClose={close}
        />
      )
  }
}
