/**
 * The key-evaluation frame 决策 / 过程 / 产出 / 效益: which parts a key-evaluation sheet needs and
 * how its weights must be shared. Pure.
 */
import { num } from './explanations.ts';
import { EPS, isNumber, round2 } from './numbers.ts';
import { defaultScoringRules, KEY_FRAME_PARTS, type KeyFramePart, type RuleViolation, type ScoringRules } from './rules.ts';

export interface KeyFrameRow {
  id: string;
  name?: string;
  part: KeyFramePart;
  weight: number;
}

export interface KeyFrameSheet {
  rows: readonly KeyFrameRow[];
}

export interface KeyFrameCheck {
  weights: Record<KeyFramePart, number>;
  total: number;
  /** (output + benefit) ÷ total weight, 0..1. */
  outputBenefitShare: number;
  violations: RuleViolation[];
}

const KEY_DEFAULTS = (() => {
  const d = defaultScoringRules('000000', 2000);
  return { keyFrame: d.keyFrame, weightTolerance: d.weightTolerance };
})();

/**
 * Checks a key-evaluation indicator sheet against the 决策 / 过程 / 产出 / 效益 frame: every row in
 * one of the four parts with 0-100 points, every part present, weights summing to 100, and
 * output + benefit carrying at least the rule's share of the weight (default 60 %).
 */
export function validateKeyFrame(sheet: KeyFrameSheet, rules: Pick<ScoringRules, 'keyFrame' | 'weightTolerance'> = KEY_DEFAULTS): KeyFrameCheck {
  const violations: RuleViolation[] = [];
  const add = (field: string, message: string) => violations.push({ field, message });
  const weights = Object.fromEntries(KEY_FRAME_PARTS.map((p) => [p, 0])) as Record<KeyFramePart, number>;
  const present = new Set<KeyFramePart>();

  sheet.rows.forEach((row, i) => {
    const label = row.name ? `「${row.name}」` : `row ${row.id}`;
    const validPart = (KEY_FRAME_PARTS as readonly unknown[]).includes(row.part);
    if (!validPart) add(`rows[${i}].part`, `${label}: ${String(row.part)} is not a part of the frame; use ${KEY_FRAME_PARTS.join(', ')}`);
    if (!isNumber(row.weight) || row.weight < 0 || row.weight > 100) add(`rows[${i}].weight`, `${label}: the weight must be 0 to 100 points`);
    else if (validPart) {
      weights[row.part] += row.weight;
      present.add(row.part);
    }
  });
  for (const part of KEY_FRAME_PARTS) {
    weights[part] = round2(weights[part]);
    if (!present.has(part)) add(`parts.${part}`, `the frame needs ${part} indicators (决策 / 过程 / 产出 / 效益)`);
  }
  const total = round2(KEY_FRAME_PARTS.reduce((s, p) => s + weights[p], 0));
  if (Math.abs(total - 100) > rules.weightTolerance + EPS) add('weights', `the weights sum to ${num(total)} points, not 100`);
  const outputBenefit = weights.output + weights.benefit;
  const outputBenefitShare = total > 0 ? outputBenefit / total : 0;
  const min = rules.keyFrame.minOutputBenefitShare;
  if (outputBenefitShare < min - EPS) {
    add('outputBenefitShare', `output + benefit carry ${num(outputBenefit)} of ${num(total)} points (${(outputBenefitShare * 100).toFixed(2)} %); the rule is at least ${num(min * 100)} %`);
  }
  return { weights, total, outputBenefitShare, violations };
}
