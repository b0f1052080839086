import { startDynamoDb } from '../local/dynamodb';

/**
 * dynalite in a process of its own, for a benchmark that measures its own process's memory (an in-process
 * dynalite's allocations would be counted as the handler's). Prints the endpoint; stops with its parent.
 */
const db = await startDynamoDb(null);
process.stdout.write(`${db.endpoint}\n`);
process.on('disconnect', () => process.exit(0));
