/**
 * Where each object's rectification orders (整改) stand (shared/rectification-standing.ts);
 * written only by the rectifications consumer, read when an evaluation completes
 * (BudgetAdjustmentRecommended):
 * | item                          | pk                | sk             | GSIs |
 * |-------------------------------|-------------------|----------------|------|
 * | rectification standing        | OBJ#<objectId>    | RECTIFICATION  | – (orders by order id; `version` guards each read-modify-write) |
 */
import { rectificationStandingStore } from '../../../shared/rectification-standing.ts';

export const rectificationStanding = rectificationStandingStore((objectId) => ({ pk: `OBJ#${objectId}`, sk: 'RECTIFICATION' }));
