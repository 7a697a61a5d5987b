import type { ReactElement } from 'react'
import { reportLine } from '../../../shared/import-report'
import type { ImportReport } from '../../../shared/models'
import { Icon } from '../../ui/Icon'

/**
 * What an import brings in, in one line, with what it left out on hover; and, when the thread
 * holds less than the session file, a warning that says so.
 */
export function ImportReportSummary({ report, className }: { report: ImportReport; className?: string }): ReactElement {
  const skipped = Object.entries(report.skipped)
  const left = skipped.length ? `Left out: ${skipped.map(([why, n]) => `${n} ${why}`).join(', ')}` : 'Nothing was left out.'
  return (
    <div className={`import-report${className ? ` ${className}` : ''}`}>
      <span className="import-report-line" title={left}>
        {reportLine(report)}
      </span>
      {report.warnings.length > 0 && (
        <div className="banner banner-warning" role="alert" aria-label="Import warnings">
          <Icon name="alert" size={14} />
          <ul>
            {report.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  )
}
