import type { ReactElement } from 'react'
import type { Thread } from '../../../shared/models'
import { LazyCiTab } from '../ci'
import { PrPanel } from '../pr'

/** The CI tab with the thread's pull or merge request (or the button that creates one) on top. */
export function CiWithRequest({ thread }: { thread: Thread }): ReactElement {
  return (
    <>
      <PrPanel thread={thread} />
      <LazyCiTab thread={thread} />
    </>
  )
}
