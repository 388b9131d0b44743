/** Scheduled (every 15 minutes): writes the trail's head checkpoints (jobs/checkpoint.ts); "now" is the scheduled event's `time`. */
import type { ScheduledEvent } from 'aws-lambda';
import { checkpointTrail, type CheckpointRun } from '../jobs/checkpoint.ts';

export async function handler(event: ScheduledEvent): Promise<CheckpointRun> {
  const now = new Date(event.time);
  if (Number.isNaN(now.getTime())) throw new Error(`scheduled event without a valid time: ${String(event.time)}`);
  return checkpointTrail(now);
}
