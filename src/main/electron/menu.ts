import { app, Menu, type MenuItemConstructorOptions } from 'electron'

/**
 * The application menu. On Windows and Linux, Ctrl+letter belongs to the terminal (Ctrl+C, Ctrl+R,
 * Ctrl+W are shell keys), so no menu item registers an accelerator there: the labels still show the
 * shortcuts the page itself handles. On macOS the Cmd shortcuts never reach a shell, and the Edit menu
 * is what makes Cmd+C/V work in text fields.
 */
export function installMenu(): void {
  const mac = process.platform === 'darwin'
  const quiet = (items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
    mac ? items : items.map((i) => ({ ...i, registerAccelerator: false, submenu: Array.isArray(i.submenu) ? quiet(i.submenu) : i.submenu }))
  const template: MenuItemConstructorOptions[] = [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    { label: 'File', submenu: [mac ? { role: 'close' } : { role: 'quit' }] },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' }
      ]
    },
    // No zoom items: Cmd/Ctrl+0 opens the dashboard.
    {
      label: 'View',
      submenu: [{ role: 'togglefullscreen' }, ...(app.isPackaged ? [] : [{ role: 'reload' as const }, { role: 'toggleDevTools' as const }])]
    },
    { label: 'Window', submenu: [{ role: 'minimize' }, ...(mac ? [{ role: 'zoom' as const }, { role: 'front' as const }] : [])] }
  ]
  Menu.setApplicationMenu(Menu.buildFromTemplate(quiet(template)))
}
