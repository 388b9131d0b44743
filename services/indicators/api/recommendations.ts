/**
 * Implementation of the recommendation route: the sector's published "3+X" template for the
 * year (or the latest before it), common indicators first by level-1 category, then the
 * best-matching individual indicators of the sector (domain/recommend.ts), each with why.
 */
import { LEVEL1 } from '../../../events/vocabulary.ts';
import type { Implementations } from '../../../shared/http/api.ts';
import { visibleTo, type Indicator } from '../domain/indicator.ts';
import { explainMatch, rankMatches } from '../domain/recommend.ts';
import type { recommendationRoutes } from '../routes/recommendations.ts';
import { getIndicators, listIndicators } from '../store/indicators.ts';
import { getSector } from '../store/sectors.ts';
import { findPublishedTemplate } from '../store/templates.ts';

export const recommendationsApi: Implementations<typeof recommendationRoutes> = {
  recommend: async ({ body, ctx }) => {
    const year = body.fiscalYear ?? new Date().getUTCFullYear();
    const limit = body.limit ?? 10;
    const [sector, template] = await Promise.all([getSector(body.sector), findPublishedTemplate(body.spendingType, body.sector, year)]);
    const templateIds = new Set(template?.indicators.map((i) => i.id) ?? []);
    const templateIndicators = template ? await getIndicators([...templateIds]) : new Map<string, Indicator>();

    // Candidates: the sector's published individual indicators for this spending type (one partition, bounded).
    const candidates: Indicator[] = [];
    let cursor: string | undefined;
    do {
      const page = await listIndicators({ sector: body.sector, scope: 'individual', status: 'published', spendingType: body.spendingType }, 100, cursor);
      candidates.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && candidates.length < 2000);
    const matches = rankMatches(
      body.description,
      candidates.map((item) => ({ item, name: item.name, ...(item.explanation ? { explanation: item.explanation } : {}) })),
      candidates.length,
    );
    const matchOf = new Map(matches.map((m) => [m.item.id, m]));
    const sectorLabel = sector?.label ?? body.sector;
    const level1Order = (i: Indicator) => LEVEL1.indexOf(i.level1);

    const fromTemplate = [...templateIndicators.values()]
      .filter((i) => i.status === 'published')
      .map((indicator) => {
        const match = matchOf.get(indicator.id);
        const kind = indicator.scope === 'common' ? 'a common (共性)' : `a ${sectorLabel} sector (个性)`;
        const why = `in the 3+X template "${template?.name}" (${template?.fiscalYear}) as ${kind} ${indicator.level1} indicator${match ? `; ${explainMatch(match, sectorLabel).split(';')[0]}` : ''}`;
        return { indicator, source: 'template' as const, score: 1 + (match?.score ?? 0), why };
      })
      .sort((a, b) => (a.indicator.scope === b.indicator.scope ? level1Order(a.indicator) - level1Order(b.indicator) || b.score - a.score : a.indicator.scope === 'common' ? -1 : 1));
    const extra = matches
      .filter((m) => !templateIds.has(m.item.id))
      .slice(0, limit)
      .map((m) => ({ indicator: m.item, source: 'match' as const, score: m.score, why: explainMatch(m, sectorLabel) }));
    const recommendations = [...fromTemplate, ...extra].filter((r) => visibleTo(r.indicator, ctx.actor));
    const coverage = LEVEL1.filter((l1) => recommendations.some((r) => r.indicator.level1 === l1));
    return {
      body: {
        ...(template ? { template: { id: template.id, name: template.name, fiscalYear: template.fiscalYear, revision: template.revision } } : {}),
        recommendations,
        coverage,
      },
    };
  },
};
