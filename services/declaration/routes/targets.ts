/** Routes of performance targets: write and read the working targets, run the check, read approved target versions. */
import * as z from 'zod/mini';
import { OverallGoalSchema, RegionalTargetsSchema, TargetRowSchema, TargetSnapshotSchema } from '../../../events/declaration.ts';
import { RegionCodeSchema } from '../../../events/envelope.ts';
import { BasisSchema, Level1Schema, Level2Schema, OperatorSchema } from '../../../events/vocabulary.ts';
import { prefixedId, text } from '../../../shared/pure/fields.ts';
import { defineRoute } from '../../../shared/http/route.ts';
import { listQuery, pageOf } from '../../../shared/http/schemas.ts';
import { FINDING_CODES } from '../domain/target-check.ts';
import { ObjectIdParams, ObjectIdSchema, readers, tag } from './objects.ts';

const IndicatorIdSchema = prefixedId('ind', 'an indicator id');
const RowIdSchema = z.string().check(z.regex(/^r_[a-z0-9]{4,20}$/, 'must be a row id (r_...) from an earlier read, or left out'));

const RowInputSchema = z.strictObject({
  rowId: z.optional(RowIdSchema),
  indicatorId: z.optional(IndicatorIdSchema),
  /** Accepted so a row read back can be sent as is; the library's current revision is what counts. */
  indicatorRevision: z.optional(z.number().check(z.int(), z.positive())),
  level1: z.optional(Level1Schema),
  level2: z.optional(Level2Schema),
  name: z.optional(text(200)),
  operator: z.optional(OperatorSchema),
  value: z.optional(z.union([z.number().check(z.minimum(-1e12), z.maximum(1e12)), text(200)])),
  unit: z.optional(z.string().check(z.trim(), z.maxLength(20))),
  basis: z.optional(BasisSchema),
  weight: z.optional(z.number().check(z.minimum(0), z.maximum(100))),
  explanation: z.optional(text(2000)),
});
// Work in progress may be saved without the annual goal; the check (and so submit) asks for it.
const OverallGoalInputSchema = z.strictObject({ mediumTerm: z.optional(text(2000)), annual: z.string().check(z.trim(), z.maxLength(2000)) });

export const TargetsInputSchema = z.strictObject({
  overallGoal: OverallGoalInputSchema,
  rows: z.array(RowInputSchema).check(z.maxLength(200)),
  regional: z.optional(z.array(z.strictObject({ region: RegionCodeSchema, overallGoal: OverallGoalInputSchema, rows: z.array(RowInputSchema).check(z.maxLength(200)) })).check(z.maxLength(200))),
});

export const TargetsSchema = z.object({
  objectId: z.string(),
  overallGoal: OverallGoalSchema,
  rows: z.array(TargetRowSchema),
  regional: z.optional(z.array(RegionalTargetsSchema)),
  updatedAt: z.string(),
  updatedBy: z.string(),
  /** The object's version (its ETag) after this write. */
  objectVersion: z.number(),
});

const FindingSchema = z.object({
  code: z.enum(FINDING_CODES),
  severity: z.enum(['error', 'warning']),
  row: z.optional(z.number()),
  region: z.optional(z.string()),
  message: z.string(),
});

export const CheckResultSchema = z.object({
  passes: z.boolean(),
  findings: z.array(FindingSchema),
  /** Other reasons the object would be kept out if submitted now (ex-ante). */
  blockers: z.array(z.object({ code: z.string(), message: z.string() })),
  exAnte: z.object({ required: z.boolean(), reason: z.string() }),
  rules: z.object({ region: z.string(), fiscalYear: z.number(), version: z.number() }),
});

export const targetRoutes = {
  putTargets: defineRoute({
    operationId: 'putTargets',
    tag,
    method: 'PUT',
    path: '/v1/declaration/objects/{id}/targets',
    summary: 'Write the performance targets: overall goal and indicator rows (library or individual); transfer payments also per receiving region',
    auth: 'jwt',
    roles: ['unit'],
    params: ObjectIdParams,
    body: TargetsInputSchema,
    requiresIfMatch: true,
    response: { status: 200, description: "The stored targets; ETag header (the object's)", schema: TargetsSchema },
    problems: [404],
  }),
  getTargets: defineRoute({
    operationId: 'getTargets',
    tag,
    method: 'GET',
    path: '/v1/declaration/objects/{id}/targets',
    summary: 'The working targets (for an approved object, the approved ones)',
    auth: 'jwt',
    roles: readers,
    params: ObjectIdParams,
    response: { status: 200, description: 'The targets', schema: TargetsSchema },
    problems: [404],
  }),
  checkTargets: defineRoute({
    operationId: 'checkTargets',
    tag,
    method: 'GET',
    path: '/v1/declaration/objects/{id}/targets/check',
    summary: 'Run the automatic target check without submitting: every finding with its code, severity and how to fix it',
    auth: 'jwt',
    roles: readers,
    params: ObjectIdParams,
    response: { status: 200, description: 'The check result', schema: CheckResultSchema },
    problems: [404],
  }),
  listTargetVersions: defineRoute({
    operationId: 'listTargetVersions',
    tag,
    method: 'GET',
    path: '/v1/declaration/objects/{id}/targets/versions',
    summary: 'Every approved target version (1 = first approval, then one per approved mid-year revision), oldest first',
    auth: 'jwt',
    roles: readers,
    params: ObjectIdParams,
    query: listQuery,
    response: { status: 200, description: 'One page of snapshots', schema: pageOf(TargetSnapshotSchema) },
    problems: [404],
  }),
  getTargetVersion: defineRoute({
    operationId: 'getTargetVersion',
    tag,
    method: 'GET',
    path: '/v1/declaration/objects/{id}/targets/versions/{version}',
    summary: 'One approved target version',
    auth: 'jwt',
    roles: readers,
    params: z.strictObject({ id: ObjectIdSchema, version: z.coerce.number().check(z.int('must be a whole number'), z.minimum(1)) }),
    response: { status: 200, description: 'The snapshot', schema: TargetSnapshotSchema },
    problems: [404],
  }),
};
