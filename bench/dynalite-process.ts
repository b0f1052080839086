import { startDynamoDb } from '../local/dynamodb';
import { startLatencyProxy } from './latency-proxy';

/**
 * dynalite in a process of its own, for a benchmark that measures its own process's memory (an in-process
 * dynalite's allocations would be counted as the handler's), or that models the network to DynamoDB:
 * with `--rtt=<ms>` it sits behind ./latency-proxy.ts, whose bookkeeping then costs the client's process
 * nothing either, and answers the parent's `mark` / `trace` messages. Prints the endpoint to use; stops
 * with its parent.
 */
const db = await startDynamoDb(null);
const rtt = process.argv.find((arg) => arg.startsWith('--rtt='));
const proxy = rtt ? await startLatencyProxy(db.endpoint, Number(rtt.slice('--rtt='.length))) : undefined;
process.stdout.write(`${proxy?.endpoint ?? db.endpoint}\n`);
process.on('message', (message: { type: 'mark' | 'trace' }) => {
  if (!proxy) return;
  if (message.type === 'mark') proxy.mark();
  process.send?.({ type: message.type, trace: proxy.trace() });
});
process.on('disconnect', () => process.exit(0));
