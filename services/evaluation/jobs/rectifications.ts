/**
 * What evaluation keeps of accountability's rectification orders (整改): per object, where each
 * order stands, so that BudgetAdjustmentRecommended can cut the budget of an object whose
 * problems were not rectified (财预〔2020〕10号; domain/application.ts). The fold and its store
 * are shared with declaration's results gate (shared/rectification-standing.ts).
 */
import type { ConsumedEvent } from '../../../shared/consumer.ts';
import { rectificationStanding } from '../store/rectifications.ts';

export const keepRectification = (event: ConsumedEvent): Promise<void> => rectificationStanding.record(event);
