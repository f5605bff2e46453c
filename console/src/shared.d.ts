/** The server's vocabularies, compiled into the bundle by scripts/console-build.ts. */
declare module 'virtual:shared' {
  const shared: import('../../scripts/console-build.ts').SharedData;
  export default shared;
}
