/** Builds the indicators service's outbox events from domain objects. */
import type { IndicatorImportChunkQueued, IndicatorPublished, IndicatorRetired, IndicatorRevised, TemplatePublished, TemplateRetired } from '../../events/indicators.ts';
import { newEvent, type EventContext, type OutboxEvent } from '../../shared/outbox.ts';
import type { Indicator } from './domain/indicator.ts';
import type { Template } from './domain/template.ts';

/**
 * The context library events are published under: the caller's context with the actor cut
 * down to sub, role and region, as the library's audit entries record it (library events are
 * also passed on to every lower region).
 */
export function libraryEventContext(ctx: EventContext): EventContext {
  const { sub, role, region } = ctx.actor;
  return { ...ctx, actor: { sub, role, region } };
}

export function publishedIndicator(indicator: Indicator): IndicatorPublished['data']['indicator'] {
  return {
    id: indicator.id,
    version: indicator.version,
    revision: indicator.revision,
    ...(indicator.code ? { code: indicator.code } : {}),
    name: indicator.name,
    level1: indicator.level1,
    level2: indicator.level2,
    operator: indicator.operator,
    unit: indicator.unit ?? '',
    ...(indicator.basis ? { basis: indicator.basis } : {}),
    ...(indicator.explanation ? { explanation: indicator.explanation } : {}),
    ...(indicator.dataSource ? { dataSource: indicator.dataSource } : {}),
    ...(indicator.scoringRule ? { scoringRule: indicator.scoringRule } : {}),
    scope: indicator.scope,
    ...(indicator.sector ? { sector: indicator.sector } : {}),
    ...(indicator.sectorLabel ? { sectorLabel: indicator.sectorLabel } : {}),
    spendingTypes: indicator.spendingTypes,
    region: indicator.region,
    publishedAt: (indicator.revisedAt ?? indicator.publishedAt) as string,
  };
}

const base = (ctx: EventContext) => ({
  version: 1,
  actor: ctx.actor,
  region: ctx.region,
  correlationId: ctx.correlationId,
  ...(ctx.causationId ? { causationId: ctx.causationId } : {}),
});

export function indicatorPublished(indicator: Indicator, ctx: EventContext): OutboxEvent {
  return newEvent<IndicatorPublished['data']>({
    ...base(ctx),
    detailType: 'IndicatorPublished',
    subject: { type: 'indicator', id: indicator.id },
    data: { indicator: publishedIndicator(indicator) },
  });
}

export function indicatorRevised(indicator: Indicator, previousRevision: number, reason: string, ctx: EventContext): OutboxEvent {
  return newEvent<IndicatorRevised['data']>({
    ...base(ctx),
    detailType: 'IndicatorRevised',
    subject: { type: 'indicator', id: indicator.id },
    data: { indicator: publishedIndicator(indicator), previousRevision, reason },
  });
}

export function indicatorRetired(indicator: Indicator, ctx: EventContext): OutboxEvent {
  return newEvent<IndicatorRetired['data']>({
    ...base(ctx),
    detailType: 'IndicatorRetired',
    subject: { type: 'indicator', id: indicator.id },
    data: {
      indicator: { id: indicator.id, revision: indicator.revision, ...(indicator.code ? { code: indicator.code } : {}), name: indicator.name, region: indicator.region },
      reason: indicator.retirementReason ?? '',
      retiredAt: indicator.retiredAt as string,
    },
  });
}

export function templatePublished(template: Template, ctx: EventContext): OutboxEvent {
  return newEvent<TemplatePublished['data']>({
    ...base(ctx),
    detailType: 'TemplatePublished',
    subject: { type: 'template', id: template.id },
    data: {
      template: {
        id: template.id,
        revision: template.revision,
        name: template.name,
        spendingType: template.spendingType,
        sector: template.sector,
        fiscalYear: template.fiscalYear,
        ...(template.description ? { description: template.description } : {}),
        region: template.region,
        indicators: template.indicators,
        publishedAt: template.publishedAt as string,
      },
    },
  });
}

export function templateRetired(template: Pick<Template, 'id' | 'revision' | 'name' | 'region' | 'spendingType' | 'sector' | 'fiscalYear'>, reason: string, retiredAt: string, ctx: EventContext): OutboxEvent {
  return newEvent<TemplateRetired['data']>({
    ...base(ctx),
    detailType: 'TemplateRetired',
    subject: { type: 'template', id: template.id },
    data: {
      template: { id: template.id, revision: template.revision, name: template.name, region: template.region, spendingType: template.spendingType, sector: template.sector, fiscalYear: template.fiscalYear },
      reason,
      retiredAt,
    },
  });
}

/** Re-publishes an ancestor's retirement (from the event's own data: the copy may not exist). */
export function indicatorRetiredFrom(data: IndicatorRetired['data'], ctx: EventContext): OutboxEvent {
  return newEvent<IndicatorRetired['data']>({ ...base(ctx), detailType: 'IndicatorRetired', subject: { type: 'indicator', id: data.indicator.id }, data });
}

/** Work item for the importer: one queued chunk of a large import (internal: relayed under the work source). */
export function importChunkQueued(chunk: { jobId: string; chunk: number; rows: readonly unknown[] }, ctx: EventContext): OutboxEvent {
  return newEvent<IndicatorImportChunkQueued['data']>({
    detailType: 'IndicatorImportChunkQueued',
    version: 1,
    work: true,
    subject: { type: 'import', id: chunk.jobId },
    actor: ctx.actor,
    region: ctx.region,
    correlationId: ctx.correlationId,
    data: { jobId: chunk.jobId, chunk: chunk.chunk, rows: chunk.rows.length },
  });
}
