import { readFileSync } from 'node:fs';
import { Annotations, Stack } from 'aws-cdk-lib';
import { Construct, type IConstruct } from 'constructs';
import { type ArrearsPolicy, parseArrearsPolicyDocument } from '#domain/arrears/index.ts';

/** The file each function finds beside its code, named to it by ARREARS_POLICY_FILE. */
export const ARREARS_POLICY_FILE = 'arrears-policy.json';

const ID = 'ArrearsPolicy';

/**
 * The deployment's arrears policy (context `arrearsPolicy`: the path of its JSON document), validated
 * when the stack is synthesized, so a wrong field fails `cdk synth` with its name instead of a cold start.
 * Every function gets it as a file beside its code (ARREARS_POLICY_FILE): a policy with its approvers
 * runs to kilobytes, which the operator's variables (4 KB for all of them) have no room for, and a policy
 * every function carries cannot be missing from the one that later starts to use it. A changed policy is a deployment of every function, reviewed
 * and rolled back with the stack.
 *
 * Without one, the functions run the illustrative default (example approver and authority addresses, a
 * placeholder bank account in every warning), and synthesis warns: fine for a demo, not for customers.
 */
export class ArrearsPolicyDocument extends Construct {
  /** The validated policy, written as each function's ARREARS_POLICY_FILE. */
  readonly policy: ArrearsPolicy;
  readonly json: string;

  /** The stack's policy document, when the stack was given one. */
  static of(scope: IConstruct): ArrearsPolicyDocument | undefined {
    const found = Stack.of(scope).node.tryFindChild(ID);
    return found instanceof ArrearsPolicyDocument ? found : undefined;
  }

  /** Reads and validates the document at `path` for the stack; without a path, warns that none is set. */
  static forStack(stack: Stack, path: string | undefined): ArrearsPolicyDocument | undefined {
    if (path === undefined || path === '') {
      Annotations.of(stack).addWarningV2(
        'keybill:illustrative-arrears-policy',
        'No arrears policy (context arrearsPolicy): the functions use the illustrative default, with ' +
          "example approver and authority addresses and a placeholder bank account in every warning's " +
          'payment instructions. Set -c arrearsPolicy=<policy.json> before deploying for customers ' +
          '(docs/schemas/arrears-policy.schema.json).',
      );
      return undefined;
    }
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new Error(`context arrearsPolicy: ${path} cannot be read: ${(error as Error).message}`);
    }
    return new ArrearsPolicyDocument(
      stack,
      parseArrearsPolicyDocument(text, `context arrearsPolicy ${path}`),
    );
  }

  private constructor(stack: Stack, policy: ArrearsPolicy) {
    super(stack, ID);
    this.policy = policy;
    this.json = JSON.stringify(policy);
  }
}
