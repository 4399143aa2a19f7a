/** A well-formed command the operator will not carry out, with the reason (and a code for scripts). */
export class OperatorRefusal extends Error {
  override readonly name = 'OperatorRefusal';
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}
