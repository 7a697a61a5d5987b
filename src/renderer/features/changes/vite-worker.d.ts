/** Vite's `?worker` imports: a constructor for a Web Worker bundled from that module. */
declare module '*?worker' {
  const WorkerFactory: new (options?: { name?: string }) => Worker
  export default WorkerFactory
}
