import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Records why a cdk-nag finding does not apply, on the narrowest construct that causes it. cdk-nag v3
 * reads these acknowledgments from construct metadata (its v2 NagSuppressions API is gone).
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}
