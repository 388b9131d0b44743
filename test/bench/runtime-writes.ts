/**
 * DynamoDB Local's write ceiling on this machine, for reading the load figures: how many
 * `PutItem`s, and how many `TransactWriteItems` of three puts (the shape of Jixiao's state
 * changes: the record, its outbox event, its audit entry), the runtime's own DynamoDB Local
 * accepts from `concurrency` closed-loop clients in this process, nothing else running. Items go
 * to the runtime's indicators table (its stream and indexes included) under a `BENCH#` partition
 * no route reads; the runtime is discarded after the bench.
 *
 * Each kind runs windows until its last three lie within 5 % of their highest (at most
 * `maxMs`); the figure is the mean of those three.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { assertLoopback } from './runtime-http.ts';
import { STEADY_WINDOWS, closedLoops, rateOf, steadyMean } from './runtime-load.ts';

export interface WriteCeilingOptions {
  readonly dynamodbEndpoint: string;
  readonly awsRegion: string;
  readonly table: string;
  readonly concurrency: number;
  readonly windowMs: number;
  readonly maxMs: number;
}

export interface WriteCeiling {
  /** Writes per second, steady (see the top comment), and every window's rate. */
  readonly putItemPerSecond: number;
  readonly transactionsPerSecond: number;
  readonly windows: { readonly putItem: readonly number[]; readonly transactions: readonly number[] };
  readonly steady: boolean;
  readonly errors: number;
}


export async function measureWriteCeiling(options: WriteCeilingOptions): Promise<WriteCeiling> {
  assertLoopback(options.dynamodbEndpoint, 'DynamoDB endpoint');
  const dynamo = new DynamoDBClient({ endpoint: options.dynamodbEndpoint, region: options.awsRegion, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 4 });
  const documents = DynamoDBDocumentClient.from(dynamo);
  let n = 0;
  const item = () => ({ pk: `BENCH#${n++}`, sk: 'META', kind: 'bench-write', text: '培训人次'.repeat(50) });
  const put = () => documents.send(new PutCommand({ TableName: options.table, Item: item() })).then(() => undefined);
  const transaction = () =>
    documents
      .send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: options.table, Item: item(), ConditionExpression: 'attribute_not_exists(pk)' } },
            { Put: { TableName: options.table, Item: item() } },
            { Put: { TableName: options.table, Item: item() } },
          ],
        }),
      )
      .then(() => undefined);
  const run = async (op: () => Promise<void>) => {
    const started = performance.now();
    const rates: number[] = [];
    let errors = 0;
    let mean: number | undefined;
    while (mean === undefined && performance.now() - started < options.maxMs) {
      const phase = await closedLoops(options.concurrency, options.windowMs, op);
      errors += phase.errors;
      rates.push(rateOf(phase));
      mean = steadyMean(rates);
    }
    return { rates, errors, mean };
  };
  try {
    const puts = await run(put);
    const transactions = await run(transaction);
    const lastMean = (rates: readonly number[]) => rates.slice(-STEADY_WINDOWS).reduce((a, b) => a + b, 0) / Math.min(STEADY_WINDOWS, rates.length);
    return {
      putItemPerSecond: puts.mean ?? lastMean(puts.rates),
      transactionsPerSecond: transactions.mean ?? lastMean(transactions.rates),
      windows: { putItem: puts.rates, transactions: transactions.rates },
      steady: puts.mean !== undefined && transactions.mean !== undefined,
      errors: puts.errors + transactions.errors,
    };
  } finally {
    documents.destroy();
    dynamo.destroy();
  }
}
