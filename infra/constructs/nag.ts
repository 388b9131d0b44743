/**
 * Acknowledging cdk-nag findings. Every acknowledgement names the rule and says why the
 * finding does not apply here; where a rule reports what it found (IAM5's resources), the
 * acknowledgement is limited to exactly that finding with `appliesTo`.
 */
import { NagSuppressions } from 'cdk-nag';
import type { IConstruct } from 'constructs';

export interface Acknowledgement {
  /** Rule id, e.g. `AwsSolutions-IAM5` or `Serverless-LambdaDLQ`. */
  readonly id: string;
  readonly reason: string;
  /** The exact findings acknowledged (e.g. `Resource::*`); omitted only for rules that report none. */
  readonly appliesTo?: readonly string[];
}

export function acknowledge(construct: IConstruct, acknowledgements: readonly Acknowledgement[], applyToChildren = false): void {
  NagSuppressions.addResourceSuppressions(
    construct,
    acknowledgements.map((a) => ({ id: a.id, reason: a.reason, ...(a.appliesTo ? { appliesTo: [...a.appliesTo] } : {}) })),
    applyToChildren,
  );
}
