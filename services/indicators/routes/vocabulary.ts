/** Routes of the library's words: the indicator vocabulary and the sectors (行业). */
import * as z from 'zod/mini';
import { text } from '../../../shared/pure/fields.ts';
import { defineRoute } from '../../../shared/http/route.ts';
import { SectorCodeSchema } from '../domain/draft-schema.ts';

const readers = ['unit', 'department', 'finance', 'supervisor'] as const;
const tag = 'indicators';

const VocabularyEntrySchema = z.object({ code: z.string(), label: z.string(), parent: z.optional(z.string()) });

export const SectorSchema = z.object({ code: z.string(), label: z.string(), updatedAt: z.string(), updatedBy: z.string() });

export const vocabularyRoutes = {
  vocabulary: defineRoute({
    operationId: 'getIndicatorVocabulary',
    tag,
    method: 'GET',
    path: '/v1/indicators/vocabulary',
    summary: 'Codes and Chinese labels of the indicator vocabulary',
    auth: 'jwt',
    roles: readers,
    response: {
      status: 200,
      description: 'The vocabulary',
      schema: z.object({
        level1: z.array(VocabularyEntrySchema),
        level2: z.array(VocabularyEntrySchema),
        operator: z.array(VocabularyEntrySchema),
        basis: z.array(VocabularyEntrySchema),
        spendingType: z.array(VocabularyEntrySchema),
        scope: z.array(VocabularyEntrySchema),
        scoringRule: z.array(VocabularyEntrySchema),
      }),
    },
  }),
  listSectors: defineRoute({
    operationId: 'listSectors',
    tag,
    method: 'GET',
    path: '/v1/indicators/sectors',
    summary: 'The sectors (行业) indicators and templates are filed under',
    auth: 'jwt',
    roles: readers,
    response: { status: 200, description: 'All sectors', schema: z.object({ items: z.array(SectorSchema) }) },
  }),
  putSector: defineRoute({
    operationId: 'putSector',
    tag,
    method: 'PUT',
    path: '/v1/indicators/sectors/{code}',
    summary: 'Add or rename a sector',
    auth: 'jwt',
    roles: ['finance'],
    params: z.strictObject({ code: SectorCodeSchema }),
    body: z.strictObject({ label: text(50) }),
    response: { status: 200, description: 'The sector', schema: SectorSchema },
  }),
};
