/**
 * Performance targets as stored and as approved (docs/domain.md section 3): the overall goal and the
 * indicator rows, each from the library or written by the unit; for transfer payments also the
 * targets per receiving region. Pure: resolving library rows, running the automatic check over
 * every target set, and building the approved snapshot.
 */
import type { Basis, Level1, Level2, Operator } from '../../../events/vocabulary.ts';
import { randomBytes } from 'node:crypto';
import { checkTargets, type Finding, type TargetRow } from './target-check.ts';
import type { DeclarationRules, ReviewGrade, RuleViolation } from './rules.ts';
import type { ExAnteRecord, ResultsDecision, ReviewRecord, SpendingObject } from './spending-object.ts';

/** A target row as stored: the checked row (without the check's library facts) plus its id and library reference. */
export interface StoredRow extends Omit<TargetRow, 'library'> {
  rowId: string;
  explanation?: string;
  indicatorId?: string;
  indicatorRevision?: number;
}

export interface OverallGoal {
  mediumTerm?: string;
  annual: string;
}

export interface RegionalTargets {
  region: string;
  amountWan: number;
  overallGoal: OverallGoal;
  rows: StoredRow[];
}

export interface StoredTargets {
  overallGoal: OverallGoal;
  rows: StoredRow[];
  regional?: RegionalTargets[];
  updatedAt: string;
  updatedBy: string;
}

/** A row as the unit sends it: a library reference, or an individual indicator written out. */
export interface RowInput {
  rowId?: string;
  indicatorId?: string;
  level1?: Level1;
  level2?: Level2;
  name?: string;
  operator?: Operator;
  value?: number | string;
  unit?: string;
  basis?: Basis;
  weight?: number;
  explanation?: string;
}

export interface TargetsInput {
  overallGoal: OverallGoal;
  rows: RowInput[];
  regional?: { region: string; overallGoal: OverallGoal; rows: RowInput[] }[];
}

/** What the declaration service knows of a library indicator (a copy kept from indicator events). */
export interface LibraryEntry {
  id: string;
  revision: number;
  name: string;
  level1: Level1;
  level2: Level2;
  operator: Operator;
  unit: string;
  status: 'published' | 'retired';
  achieved?: number[];
  /** Achieved values per 万元 of the evaluated object's annual amount, in the library unit (where the amount is known). */
  achievedPerWan?: number[];
}

export const newRowId = () => `r_${randomBytes(5).toString('hex')}`;

/**
 * Resolves rows against the library and gives every row a stable id (kept when the unit sends
 * it back, so a row can be followed across target versions). Every problem names its field.
 */
export function resolveRows(rows: readonly RowInput[], library: ReadonlyMap<string, LibraryEntry>, field: string): { rows: StoredRow[]; violations: RuleViolation[] } {
  const violations: RuleViolation[] = [];
  const seen = new Set<string>();
  const resolved: StoredRow[] = [];
  rows.forEach((row, i) => {
    const at = `${field}[${i}]`;
    const rowId = row.rowId ?? newRowId();
    if (seen.has(rowId)) violations.push({ field: `${at}.rowId`, message: `${rowId} is used by another row` });
    seen.add(rowId);
    const common = {
      rowId,
      ...(row.value !== undefined ? { value: row.value } : {}),
      ...(row.basis ? { basis: row.basis } : {}),
      ...(row.weight !== undefined ? { weight: row.weight } : {}),
      ...(row.explanation ? { explanation: row.explanation } : {}),
    };
    if (row.indicatorId) {
      const lib = library.get(row.indicatorId);
      if (!lib) {
        violations.push({ field: `${at}.indicatorId`, message: `no published indicator ${row.indicatorId} in the library` });
        return;
      }
      if (lib.status !== 'published') {
        violations.push({ field: `${at}.indicatorId`, message: `indicator ${lib.id} (${lib.name}) is retired; pick a current one` });
        return;
      }
      // The operator is part of the indicator's definition (≥ is scored differently from 定性).
      for (const key of ['name', 'level1', 'level2', 'operator'] as const) {
        if (row[key] !== undefined && row[key] !== lib[key]) {
          violations.push({ field: `${at}.${key}`, message: `a library row takes its ${key} from the library (${lib[key]}); leave it out, or write an individual row without indicatorId` });
        }
      }
      const unit = row.unit ?? (lib.unit || undefined);
      resolved.push({
        ...common,
        level1: lib.level1,
        level2: lib.level2,
        name: lib.name,
        operator: lib.operator,
        ...(unit ? { unit } : {}),
        indicatorId: lib.id,
        indicatorRevision: lib.revision,
      });
      return;
    }
    const missing = (['level1', 'level2', 'name', 'operator'] as const).filter((key) => row[key] === undefined);
    for (const key of missing) violations.push({ field: `${at}.${key}`, message: 'required for an individual indicator (or give indicatorId to use a library one)' });
    if (missing.length) return;
    resolved.push({
      ...common,
      level1: row.level1 as Level1,
      level2: row.level2 as Level2,
      name: row.name as string,
      operator: row.operator as Operator,
      ...(row.unit ? { unit: row.unit } : {}),
    });
  });
  return { rows: resolved, violations };
}

/** Median of the achieved values, when there are any. */
export function median(values: readonly number[] | undefined): number | undefined {
  if (!values?.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function toCheckRow(row: StoredRow, library: ReadonlyMap<string, LibraryEntry>): TargetRow {
  const lib = row.indicatorId ? library.get(row.indicatorId) : undefined;
  const historicalMedian = median(lib?.achieved);
  // Per 万元 only in the library's own unit: a row counted otherwise (人 for 人次) is not comparable.
  const historicalPerWan = lib && (row.unit ?? lib.unit) === lib.unit ? median(lib.achievedPerWan) : undefined;
  return {
    level1: row.level1,
    level2: row.level2,
    name: row.name,
    operator: row.operator,
    ...(row.value !== undefined ? { value: row.value } : {}),
    ...(row.unit ? { unit: row.unit } : {}),
    ...(row.basis ? { basis: row.basis } : {}),
    ...(row.weight !== undefined ? { weight: row.weight } : {}),
    ...(row.indicatorId
      ? {
          library: {
            indicatorId: row.indicatorId,
            ...(row.indicatorRevision ? { revision: row.indicatorRevision } : {}),
            ...(historicalMedian !== undefined ? { historicalMedian } : {}),
            ...(historicalPerWan !== undefined ? { historicalPerWan } : {}),
          },
        }
      : {}),
  };
}

export type RegionalFinding = Finding & { region?: string };

/**
 * The automatic check over every target set of an object: its own targets against its annual
 * amount and, for a transfer payment, each receiving region's targets against that region's share.
 */
export function checkObjectTargets(object: SpendingObject, targets: StoredTargets, rules: DeclarationRules, library: ReadonlyMap<string, LibraryEntry>): RegionalFinding[] {
  const findings: RegionalFinding[] = checkTargets(
    { overallGoal: targets.overallGoal, rows: targets.rows.map((r) => toCheckRow(r, library)) },
    { annualAmountWan: object.amounts.annualTotalWan },
    rules,
  );
  if (object.spendingType !== 'transfer_payment') return findings;
  const regional = new Map((targets.regional ?? []).map((r) => [r.region, r]));
  for (const receiving of object.receivingRegions ?? []) {
    const set = regional.get(receiving.region);
    if (!set) {
      findings.push({
        code: 'regional_targets_missing',
        severity: 'error',
        region: receiving.region,
        message: `write the regional targets of ${receiving.region} (its share is ${receiving.amountWan} 万元): every receiving region gets its own targets under the overall one`,
      });
      continue;
    }
    const regionalFindings = checkTargets({ overallGoal: set.overallGoal, rows: set.rows.map((r) => toCheckRow(r, library)) }, { annualAmountWan: receiving.amountWan }, rules);
    findings.push(...regionalFindings.map((f) => ({ ...f, region: receiving.region, message: `[${receiving.region}] ${f.message}` })));
  }
  return findings;
}

/** Library ids a target set refers to (to fetch their copies in one batch). */
export function libraryIdsOf(targets: Pick<StoredTargets, 'rows' | 'regional'>): string[] {
  const rows = [...targets.rows, ...(targets.regional ?? []).flatMap((r) => r.rows)];
  return [...new Set(rows.flatMap((r) => (r.indicatorId ? [r.indicatorId] : [])))];
}

export interface TargetSnapshot {
  object: { id: string; spendingType: SpendingObject['spendingType']; name: string; fiscalYear: number; region: string; department: string; unit: string; sector: string; continues?: string };
  amounts: SpendingObject['amounts'];
  targetVersion: number;
  overallGoal: OverallGoal;
  rows: StoredRow[];
  regional?: RegionalTargets[];
  reviews: ReviewRecord[];
  rulesVersion: number;
  exAnte?: { total: number; conclusion: ExAnteRecord['conclusion']; recommendedCeilingWan: number };
  resultsDecision?: { decision: 'cut' | 'keep'; reason: string; previousGrade: ReviewGrade; unrectified?: number };
  approvedAt: string;
  approvedBy: string;
}

export function objectRef(object: SpendingObject): TargetSnapshot['object'] {
  return {
    id: object.id,
    spendingType: object.spendingType,
    name: object.name,
    fiscalYear: object.fiscalYear,
    region: object.region,
    department: object.department,
    unit: object.unit,
    sector: object.sector,
    ...(object.continues ? { continues: object.continues } : {}),
  };
}

function decisionOf(decision: ResultsDecision | undefined): TargetSnapshot['resultsDecision'] {
  if (!decision || decision.decision === 'cancel') return undefined;
  return { decision: decision.decision, reason: decision.reason, previousGrade: decision.previousGrade, ...(decision.unrectified ? { unrectified: decision.unrectified } : {}) };
}

export function buildSnapshot(
  object: SpendingObject,
  targets: StoredTargets,
  reviews: ReviewRecord[],
  rulesVersion: number,
  approvedBy: string,
): TargetSnapshot {
  const resultsDecision = decisionOf(object.resultsDecision);
  // The shares as the object has them now: receiving regions may have been edited after the targets were written.
  const shares = new Map((object.receivingRegions ?? []).map((r) => [r.region, r.amountWan]));
  const regional = (targets.regional ?? []).flatMap((r) => {
    const amountWan = shares.get(r.region);
    return amountWan === undefined ? [] : [{ ...r, amountWan }];
  });
  return {
    object: objectRef(object),
    amounts: object.amounts,
    targetVersion: object.targetVersion,
    overallGoal: targets.overallGoal,
    rows: targets.rows,
    ...(regional.length ? { regional } : {}),
    reviews,
    rulesVersion,
    ...(object.exAnte ? { exAnte: { total: object.exAnte.total, conclusion: object.exAnte.conclusion, recommendedCeilingWan: object.exAnte.recommendedCeilingWan } } : {}),
    ...(resultsDecision ? { resultsDecision } : {}),
    approvedAt: object.updatedAt,
    approvedBy,
  };
}
