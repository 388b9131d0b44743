/**
 * Acknowledging cdk-nag findings (cdk-nag 3 runs as a CDK policy-validation plugin; an
 * acknowledgement is recorded with `Validations.of(construct)` and covers that construct and
 * what it contains). Every acknowledgement names the rule and says why the finding does not
 * apply here, and sits on the one resource it is about, never on a stack. Where a rule reports
 * what it found (IAM5's resources), only those exact findings are acknowledged.
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export interface Acknowledgement {
  /** Rule id, e.g. `AwsSolutions-IAM5` or `Serverless-LambdaDLQ`. */
  readonly id: string;
  readonly reason: string;
  /** The exact findings acknowledged (e.g. `Resource::*`), for rules that report them. */
  readonly appliesTo?: readonly string[];
}

export function acknowledge(construct: IConstruct, acknowledgements: readonly Acknowledgement[]): void {
  for (const a of acknowledgements) {
    const ids = a.appliesTo ? a.appliesTo.map((finding) => `${a.id}[${finding}]`) : [a.id];
    Validations.of(construct).acknowledge(...ids.map((id) => ({ id, reason: a.reason })));
  }
}
