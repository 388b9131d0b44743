/** A value that breaks a rule: where it is (`body.rows[2].unit`, `execution.redBelow`) and why. API errors carry these as `errors[]`. */
export interface FieldError {
  /** Where: `body.spendingTypes[0]`, `query.cursor`, `path.id`, `header.if-match`, or a path inside what a rule checked. */
  readonly field: string;
  readonly message: string;
}
