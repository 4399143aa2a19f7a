import { describe, expect, it } from 'vitest';
import { functionNamed, synthKeybill } from './synth.ts';

const { template, stack } = synthKeybill();
const secretId = stack.getLogicalId(stack.linkSigningKey.secret.node.defaultChild as never);

describe('named secrets', () => {
  it('has Secrets Manager generate the link signing key: no value in the template', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
    });
    const [secret] = Object.values(template.findResources('AWS::SecretsManager::Secret'));
    expect(JSON.stringify(secret)).not.toMatch(/"SecretString"/);
  });

  it('gives the sender the key by its ARN, never its value, and the right to read it', () => {
    expect(functionNamed(template, 'send-notice').properties.Environment).toMatchObject({
      Variables: { LINK_SIGNING_SECRET_ID: { Ref: secretId } },
    });
    const environments = JSON.stringify(
      Object.values(template.findResources('AWS::Lambda::Function')).map(
        (f) => (f as { Properties: { Environment?: unknown } }).Properties.Environment,
      ),
    );
    expect(environments).not.toMatch(/resolve:secretsmanager|SecretString|GetSecretValue/);
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toMatch(/secretsmanager:GetSecretValue/);
  });
});
