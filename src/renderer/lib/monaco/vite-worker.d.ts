/** Vite's `?worker` imports: a constructor for a Web Worker bundled from that module. */
declare module '*?worker' {
  const WorkerFactory: new (options?: { name?: string }) => Worker
  export default WorkerFactory
}

/** Vite's `?worker&inline` imports: the same, with the worker's code carried in this chunk and started from a blob: URL. */
declare module '*?worker&inline' {
  const WorkerFactory: new (options?: { name?: string }) => Worker
  export default WorkerFactory
}
