import {
  type NativeAttributeValue,
  paginateQuery,
  paginateScan,
  type QueryCommandInput,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { dynamo } from './aws';

/** An item as the document client returns it (a page's `Items`). */
type Item = Record<string, NativeAttributeValue>;

/**
 * Every item a Query or Scan matches, all of its pages read: the one place a read follows
 * LastEvaluatedKey to the end (lib-dynamodb's paginators do the following). Meant for result sets that
 * fit in memory (a partition, a table of hundreds of items); a caller that handles a page at a time
 * iterates `paginateQuery` itself.
 */
export function queryAllItems(input: QueryCommandInput): Promise<Item[]> {
  // A copy: the paginator writes each page's start key into the input it is given.
  return collect(paginateQuery({ client: dynamo }, { ...input }));
}

export function scanAllItems(input: ScanCommandInput): Promise<Item[]> {
  return collect(paginateScan({ client: dynamo }, { ...input }));
}

async function collect(pages: AsyncIterable<{ Items?: Item[] }>): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of pages) items.push(...(page.Items ?? []));
  return items;
}
