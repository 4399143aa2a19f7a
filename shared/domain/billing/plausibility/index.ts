export {
  checkPlausibility,
  HOLD_RULES,
  type HoldReason,
  type HoldRule,
  type PlausibilityInput,
} from './check.ts';
export {
  PLAUSIBILITY_POLICIES,
  PLAUSIBILITY_POLICY_V1,
  type PlausibilityPolicy,
  PlausibilityPolicySchema,
  plausibilityPolicyFor,
} from './policy.ts';
