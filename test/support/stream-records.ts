/**
 * Every record a table's stream still holds (DynamoDB Local keeps 24 h, as DynamoDB does), read
 * from the start of every shard, with the images as the stream carries them (attribute values,
 * not unmarshalled: a test searching them for a string sees exactly what left the table).
 */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';

export interface StreamImage {
  eventName?: string;
  /** The item's keys, `{ pk: { S: … }, sk: { S: … } }`. */
  keys?: Record<string, unknown>;
  newImage?: Record<string, unknown>;
  oldImage?: Record<string, unknown>;
}

export async function allStreamRecords(endpoint: string, region: string, tableName: string): Promise<StreamImage[]> {
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const dynamo = new DynamoDBClient({ endpoint, region, credentials });
  const streams = new DynamoDBStreamsClient({ endpoint, region, credentials });
  try {
    const arn = (await dynamo.send(new DescribeTableCommand({ TableName: tableName }))).Table?.LatestStreamArn;
    if (!arn) throw new Error(`${tableName} has no stream`);
    const shards: string[] = [];
    let start: string | undefined;
    do {
      const d = await streams.send(new DescribeStreamCommand({ StreamArn: arn, ExclusiveStartShardId: start }));
      shards.push(...(d.StreamDescription?.Shards ?? []).map((s) => s.ShardId as string));
      start = d.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    const out: StreamImage[] = [];
    for (const shardId of shards) {
      let iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      // An open shard hands out iterators for ever: stop at its first empty page.
      while (iterator) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        for (const r of page.Records ?? []) {
          const d = r.dynamodb;
          out.push({
            ...(r.eventName ? { eventName: r.eventName } : {}),
            ...(d?.Keys ? { keys: d.Keys } : {}),
            ...(d?.NewImage ? { newImage: d.NewImage } : {}),
            ...(d?.OldImage ? { oldImage: d.OldImage } : {}),
          });
        }
        iterator = page.Records?.length ? page.NextShardIterator : undefined;
      }
    }
    return out;
  } finally {
    dynamo.destroy();
    streams.destroy();
  }
}
