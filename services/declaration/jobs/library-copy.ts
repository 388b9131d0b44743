/**
 * Keeps this service's copy of the indicator library (event-carried state: a service never
 * reads another's table), so target rows can refer to published indicators and take their
 * name, categories, operator and unit from them. Retired indicators stay, marked retired.
 */
import type { IndicatorPublished, IndicatorRetired, IndicatorRevised } from '../../../events/indicators.ts';
import type { ConsumedEvent } from '../../../shared/consumer.ts';
import * as store from '../store/library-indicators.ts';

export async function applyIndicatorEvent(event: ConsumedEvent): Promise<void> {
  switch (event.detailType) {
    case 'IndicatorPublished':
    case 'IndicatorRevised': {
      const { indicator } = event.data as IndicatorPublished['data'] | IndicatorRevised['data'];
      await store.upsertLibraryIndicator(indicator);
      return;
    }
    case 'IndicatorRetired':
      await store.retireLibraryIndicator((event.data as IndicatorRetired['data']).indicator.id);
      return;
    default:
      throw new Error(`the declaration library copy does not handle ${event.detailType}`);
  }
}
