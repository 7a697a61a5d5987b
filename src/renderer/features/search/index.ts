/** The search feature: the sidebar's search box and results, over every thread's items. */
export { SearchBox } from './SearchBox'
export { SearchPanel } from './SearchPanel'
export { closeSearch, focusSearch, noteSearchIndex } from './search-actions'
export { useSearch } from './search-store'
