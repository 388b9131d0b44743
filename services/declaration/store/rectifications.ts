/**
 * Where each object's rectification orders stand, for the results gate (docs/domain.md section 2;
 * shared/rectification-standing.ts), since declaration never reads accountability's table.
 *
 * | item                    | pk              | sk       | GSIs |
 * |-------------------------|-----------------|----------|------|
 * | rectification standing  | RECTS#<objectId>| STANDING | – (orders by order id; `version` guards each read-modify-write) |
 */
import { summarizeRectification, type RectificationSummary } from '../../../shared/pure/rectification-status.ts';
import { rectificationStandingStore } from '../../../shared/rectification-standing.ts';

export const rectificationStanding = rectificationStandingStore((objectId) => ({ pk: `RECTS#${objectId}`, sk: 'STANDING' }));

/** The object's orders as of `today` (YYYY-MM-DD, China Standard Time); undefined when it has none. */
export async function rectificationSummary(objectId: string, today: string): Promise<RectificationSummary | undefined> {
  const orders = await rectificationStanding.orders(objectId, true);
  return orders ? summarizeRectification(orders, today) : undefined;
}
