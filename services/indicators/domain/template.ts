/**
 * "3+X" templates: for a spending type + sector + fiscal year, the recommended indicators —
 * common ones across all four level-1 categories plus the sector's individual ones. Versioned
 * and published like indicators. Pure.
 */
import type { Actor } from '../../../events/envelope.ts';
import { LEVEL1, type IndicatorScope, type Level1, type Level2, type SpendingType } from '../../../events/vocabulary.ts';
import { TransitionError, type LibraryRecord } from './indicator.ts';

export interface TemplateIndicatorRef {
  id: string;
  revision: number;
  code?: string;
  name: string;
  level1: Level1;
  level2: Level2;
  scope: IndicatorScope;
}

export interface TemplateContent {
  name: string;
  spendingType: SpendingType;
  sector: string;
  fiscalYear: number;
  description?: string;
  indicators: TemplateIndicatorRef[];
}

export interface Template extends TemplateContent, LibraryRecord {}

/** Level-1 categories a template lacks (a "3+X" set covers all four). */
export function missingCategories(indicators: readonly TemplateIndicatorRef[]): Level1[] {
  const present = new Set(indicators.map((i) => i.level1));
  return LEVEL1.filter((l1) => !present.has(l1));
}

export function duplicateRefs(indicators: readonly TemplateIndicatorRef[]): string[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const ref of indicators) (seen.has(ref.id) ? duplicates : seen).add(ref.id);
  return [...duplicates];
}

function requireOwned(template: Template, action: string): void {
  if (template.inherited) throw new TransitionError(`this template belongs to region ${template.region}; only its finance department can ${action} it`);
}

function requireComplete(content: TemplateContent): void {
  const missing = missingCategories(content.indicators);
  if (missing.length) {
    throw new TransitionError(`a 3+X template needs indicators in all four level-1 categories; missing: ${missing.join(', ')}`);
  }
  const duplicates = duplicateRefs(content.indicators);
  if (duplicates.length) throw new TransitionError(`the template lists ${duplicates.join(', ')} more than once`);
}

export function newTemplate(content: TemplateContent, id: string, actor: Actor, now: Date): Template {
  const at = now.toISOString();
  return { ...content, id, version: 1, revision: 0, status: 'draft', region: actor.region, createdAt: at, createdBy: actor.sub, updatedAt: at };
}

export function editTemplate(template: Template, changes: Partial<TemplateContent>, now: Date): Template {
  requireOwned(template, 'edit');
  if (template.status !== 'draft') throw new TransitionError(`only a draft template can be edited; this one is ${template.status} (publish a revision instead)`);
  return { ...template, ...changes, version: template.version + 1, updatedAt: now.toISOString() };
}

export function publishTemplate(template: Template, actor: Actor, now: Date): Template {
  requireOwned(template, 'publish');
  if (template.status !== 'draft') throw new TransitionError(`only a draft template can be published; this one is ${template.status}`);
  requireComplete(template);
  const at = now.toISOString();
  return { ...template, status: 'published', revision: 1, version: template.version + 1, updatedAt: at, publishedAt: at, publishedBy: actor.sub };
}

export function reviseTemplate(template: Template, changes: Partial<TemplateContent>, reason: string, actor: Actor, now: Date): Template {
  requireOwned(template, 'revise');
  if (template.status !== 'published') throw new TransitionError(`only a published template can be revised; this one is ${template.status}`);
  const next = { ...template, ...changes };
  requireComplete(next);
  const at = now.toISOString();
  return { ...next, revision: template.revision + 1, version: template.version + 1, updatedAt: at, publishedAt: at, publishedBy: actor.sub, revisionReason: reason };
}

export function retireTemplate(template: Template, reason: string, actor: Actor, now: Date): Template {
  requireOwned(template, 'retire');
  if (template.status !== 'published') throw new TransitionError(`only a published template can be retired; this one is ${template.status}`);
  const at = now.toISOString();
  return { ...template, status: 'retired', version: template.version + 1, updatedAt: at, retiredAt: at, retiredBy: actor.sub, retirementReason: reason };
}
