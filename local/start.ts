import { LOCAL_CONNECTOR_CREDENTIALS, startLocalSystem } from './system';

/**
 * `npm start`: the whole system on this machine. PORT picks the API port (default 3000), ETAAL_TIME_SCALE
 * speeds up working-day deadlines (17280: a 24 h day passes in 5 s), ETAAL_LOCAL_DATA_DIR moves the data
 * (default .local/). Ctrl-C or SIGTERM stops everything.
 */
const system = await startLocalSystem({ dataDir: process.env.ETAAL_LOCAL_DATA_DIR || undefined }).catch(
  (error: unknown) => {
    const code = (error as { code?: string }).code;
    console.error(
      code === 'EADDRINUSE'
        ? `Port ${process.env.PORT ?? 3000} is in use: stop what runs there or set PORT.`
        : `Could not start the local system: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  },
);

console.log(`API: ${system.apiUrl}`);
console.log(`Mailbox: ${system.mailboxUrl}`);
console.log(`API reference: ${system.apiUrl}/docs`);
console.log(`Admin: npm run admin -- --help  (reads ${system.runtimeFile ?? 'no runtime file'})`);
console.log(
  `Connector credentials (local only): ${LOCAL_CONNECTOR_CREDENTIALS.username} / ${LOCAL_CONNECTOR_CREDENTIALS.password}`,
);
console.log(`Time scale: ${system.env.ETAAL_TIME_SCALE}. Stop with Ctrl-C.`);

let stopping = false;
const shutdown = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping`);
  system.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
// `kill <npm pid>` reaches only the shell npm runs this script in; once that shell is gone this process is
// reparented, and stops as if it had been sent SIGTERM.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) shutdown('SIGTERM');
}, 250).unref();
