/**
 * Keeps this region's copy of its ancestors' library. The parent region's bus forwards library
 * events (IndicatorPublished/Revised/Retired, TemplatePublished/Retired) to this region's bus;
 * each one about another region's library is stored as a read-only `inherited` entry, then
 * re-published through this service's outbox so this region's own children get it too
 * (EventBridge forwards between buses only one hop). Events about this region's own library are
 * ignored here.
 */
import type { IndicatorPublished, IndicatorRetired, IndicatorRevised, TemplatePublished, TemplateRetired } from '../../../events/indicators.ts';
import type { ConsumedEvent } from '../../../shared/consumer.ts';
import { logger } from '../../../shared/logger.ts';
import type { EventContext } from '../../../shared/outbox.ts';
import { inheritedIndicator, inheritedRevision } from '../domain/inherited.ts';
import type { Indicator } from '../domain/indicator.ts';
import type { Template } from '../domain/template.ts';
import { indicatorPublished, indicatorRetiredFrom, indicatorRevised, templatePublished, templateRetired } from '../events.ts';
import * as indicators from '../store/indicators.ts';
import * as sectors from '../store/sectors.ts';
import * as templates from '../store/templates.ts';

/** Applies one forwarded library event to this region (`own`, its region code). */
export async function syncAncestorLibrary(event: ConsumedEvent, own: string): Promise<void> {
  if (event.meta.region === own) return;
  const ctx: EventContext = {
    actor: { sub: 'indicators-library-sync', role: 'system', region: own },
    region: own,
    correlationId: event.meta.correlationId,
    causationId: event.meta.eventId,
  };

  switch (event.detailType) {
    case 'IndicatorPublished':
    case 'IndicatorRevised': {
      const data = event.data as IndicatorPublished['data'] | IndicatorRevised['data'];
      if (data.indicator.region === own) return;
      const existing = await indicators.getIndicator(data.indicator.id);
      const copy = inheritedIndicator(data.indicator, 'published', existing);
      const reason = 'reason' in data ? data.reason : undefined;
      const republished = event.detailType === 'IndicatorRevised' && 'previousRevision' in data
        ? indicatorRevised(copy, data.previousRevision, data.reason, ctx)
        : indicatorPublished(copy, ctx);
      const applied = await indicators.upsertInherited(copy, inheritedRevision(data.indicator, reason), [republished]);
      // Learn the ancestor's sector, so this region can list, import and template under it.
      if (applied && copy.sector && !(await sectors.getSector(copy.sector))) {
        await sectors.putSector({ code: copy.sector, label: data.indicator.sectorLabel ?? copy.sector, updatedAt: event.meta.occurredAt, updatedBy: `region:${data.indicator.region}` });
      }
      logger.info('inherited indicator', { id: copy.id, revision: copy.revision, applied });
      return;
    }
    case 'IndicatorRetired': {
      // Retirement is final. A tombstone is kept even when no copy exists yet (the publication
      // may still be on its way), so a late publication cannot revive it; it is passed on too.
      const data = event.data as IndicatorRetired['data'];
      if (data.indicator.region === own) return;
      const existing = await indicators.getIndicator(data.indicator.id);
      const copy: Indicator | undefined = existing?.inherited
        ? { ...existing, status: 'retired', version: existing.version + 1, updatedAt: data.retiredAt, retiredAt: data.retiredAt, retirementReason: data.reason }
        : undefined;
      const applied = await indicators.retireInherited(copy, { id: data.indicator.id, revision: data.indicator.revision, retiredAt: data.retiredAt, reason: data.reason }, [indicatorRetiredFrom(data, ctx)]);
      logger.info('inherited retirement', { id: data.indicator.id, applied });
      return;
    }
    case 'TemplateRetired': {
      const data = event.data as TemplateRetired['data'];
      if (data.template.region === own) return;
      const existing = await templates.getTemplate(data.template.id);
      const copy: Template | undefined = existing?.inherited
        ? { ...existing, status: 'retired', version: existing.version + 1, updatedAt: data.retiredAt, retiredAt: data.retiredAt, retirementReason: data.reason }
        : undefined;
      const applied = await templates.retireInheritedTemplate(copy, { id: data.template.id, revision: data.template.revision, retiredAt: data.retiredAt, reason: data.reason }, [templateRetired(data.template, data.reason, data.retiredAt, ctx)]);
      logger.info('inherited template retirement', { id: data.template.id, applied });
      return;
    }
    case 'TemplatePublished': {
      const data = event.data as TemplatePublished['data'];
      if (data.template.region === own) return;
      const existing = await templates.getTemplate(data.template.id);
      const copy: Template = {
        ...data.template,
        version: (existing?.version ?? 0) + 1,
        status: 'published',
        inherited: true,
        createdAt: existing?.createdAt ?? data.template.publishedAt,
        createdBy: `region:${data.template.region}`,
        updatedAt: data.template.publishedAt,
      };
      await templates.upsertInheritedTemplate(copy, [templatePublished(copy, ctx)]);
      return;
    }
    default:
      logger.warn('library sync ignores this event type', { detailType: event.detailType });
  }
}
