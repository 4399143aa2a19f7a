import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
import type { Property, PropertyType, Resource, TypeDefinition } from '@aws-cdk/service-spec-types';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';

/*
 * Every resource of a synthesized template checked against its CloudFormation registry schema, as the CDK
 * team's database `@aws-cdk/aws-service-spec` holds it (every resource type, property, type definition,
 * required flag and allowed value), turned into JSON Schema and checked with Ajv. What the registry does
 * not say but a deployment would refuse is added in STRICTER; what the database cannot describe is in
 * EXCEPTIONS — each with its reason, in this file only.
 */

type JsonSchema = Record<string, unknown>;
type TemplateJson = { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

/**
 * Types that are not in the registry, each with why it may appear anyway. A type missing from the
 * database and not listed here fails the check (a typo'd or invented type).
 */
export const EXCEPTIONS: Readonly<Record<string, string>> = {
  'AWS::CDK::Metadata':
    'the CDK toolkit own version-reporting resource: CloudFormation treats AWS::CDK::* as metadata, not a registry type',
};

/**
 * Registry properties typed as a plain string whose values a deployment refuses unless they are one of a
 * list the registry does not carry. Keyed by `<resource type>.<property path>`.
 */
export const STRICTER: Readonly<Record<string, { reason: string; schema: JsonSchema }>> = {
  'AWS::Lambda::Function.Runtime': {
    reason: 'the registry types Runtime as any string; Lambda accepts only its runtime identifiers',
    schema: { enum: [...new Set(Runtime.ALL.map((r) => r.name))] },
  },
  'AWS::Lambda::Function.Architectures': {
    reason: 'the registry types Architectures as strings; Lambda accepts arm64 or x86_64, one of them',
    schema: {
      type: 'array',
      maxItems: 1,
      items: { enum: [Architecture.ARM_64.name, Architecture.X86_64.name] },
    },
  },
  'AWS::Scheduler::Schedule.ScheduleExpressionTimezone': {
    reason: 'the registry types the time zone as any string; Scheduler accepts IANA zone names',
    schema: { enum: [...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])] },
  },
};

/** A property value may also be an intrinsic function (Ref, Fn::GetAtt, Fn::Join, …) resolved at deploy. */
const INTRINSIC: JsonSchema = {
  type: 'object',
  minProperties: 1,
  maxProperties: 1,
  propertyNames: { pattern: '^(Ref|Fn::[A-Za-z]+)$' },
};

const orIntrinsic = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { $ref: '#/$defs/intrinsic' }] });

/** One JSON Schema per resource type, built lazily from the database (it holds ~1,500 types). */
export class CloudFormationSchemas {
  private readonly db = loadAwsServiceSpecSync();
  private readonly ajv = new Ajv({ allErrors: true, strict: false });
  private readonly validators = new Map<string, ValidateFunction | undefined>();

  /** The problems of every resource of the template, `<logical id> (<type>) <path>: <message>`. */
  problemsOf(template: TemplateJson): string[] {
    return Object.entries(template.Resources ?? {}).flatMap(([id, resource]) => {
      if (EXCEPTIONS[resource.Type] !== undefined) return [];
      const validate = this.validatorOf(resource.Type);
      if (validate === undefined) return [`${id} (${resource.Type}): not a CloudFormation registry type`];
      if (validate(resource.Properties ?? {})) return [];
      return (validate.errors ?? [])
        .filter(isRootCause)
        .map((e) => `${id} (${resource.Type}) ${describe(e)}`);
    });
  }

  private validatorOf(type: string): ValidateFunction | undefined {
    if (!this.validators.has(type)) {
      const resource = this.db.lookup('resource', 'cloudFormationType', 'equals', type).at(0);
      this.validators.set(type, resource && this.ajv.compile(this.schemaOf(resource)));
    }
    return this.validators.get(type);
  }

  private schemaOf(resource: Resource): JsonSchema {
    const defs: Record<string, JsonSchema> = { intrinsic: INTRINSIC };
    for (const { entity } of this.db.follow('usesType', resource)) {
      defs[entity.$id] = this.objectSchema(entity, `${resource.cloudFormationType}.${entity.name}`);
    }
    return { ...this.objectSchema(resource, resource.cloudFormationType), $defs: defs };
  }

  private objectSchema(shape: Resource | TypeDefinition, path: string): JsonSchema {
    const properties = Object.fromEntries(
      Object.entries(shape.properties).map(([name, property]) => [
        name,
        this.propertySchema(property, `${path}.${name}`),
      ]),
    );
    const required = Object.entries(shape.properties)
      .filter(([, property]) => property.required === true)
      .map(([name]) => name);
    return orIntrinsic({ type: 'object', properties, required, additionalProperties: false });
  }

  private propertySchema(property: Property, path: string): JsonSchema {
    const types = [property.type, ...(property.previousTypes ?? [])].map((t) => this.typeSchema(t));
    const registry = types.length === 1 ? types[0]! : { anyOf: types };
    const stricter = STRICTER[path];
    return stricter === undefined ? registry : { allOf: [registry, orIntrinsic(stricter.schema)] };
  }

  private typeSchema(type: PropertyType): JsonSchema {
    switch (type.type) {
      case 'string':
        return orIntrinsic({ type: 'string', ...(type.allowedValues ? { enum: type.allowedValues } : {}) });
      case 'integer':
        return orIntrinsic({ type: 'integer', ...(type.allowedValues ? { enum: type.allowedValues } : {}) });
      case 'number':
        return orIntrinsic({ type: 'number' });
      case 'boolean':
        return orIntrinsic({ type: 'boolean' });
      case 'date-time':
        return orIntrinsic({ type: 'string' });
      case 'null':
        return { type: 'null' };
      case 'json':
        return {};
      case 'tag':
        return orIntrinsic({
          type: 'object',
          properties: { Key: orIntrinsic({ type: 'string' }), Value: orIntrinsic({ type: 'string' }) },
          required: ['Key', 'Value'],
          additionalProperties: false,
        });
      case 'ref':
        return { $ref: `#/$defs/${type.reference.$ref}` };
      case 'array':
        return orIntrinsic({ type: 'array', items: this.typeSchema(type.element) });
      case 'map':
        return orIntrinsic({ type: 'object', additionalProperties: this.typeSchema(type.element) });
      case 'union':
        return { anyOf: type.types.map((t) => this.typeSchema(t)) };
    }
  }
}

/** anyOf alternatives report each branch's failure; the intrinsic branch's are noise when a value is not one. */
function isRootCause(error: ErrorObject): boolean {
  return !error.schemaPath.includes('/$defs/intrinsic/') && error.keyword !== 'anyOf';
}

function describe(error: ErrorObject): string {
  const at =
    error.instancePath === '' ? 'Properties' : `Properties${error.instancePath.replaceAll('/', '.')}`;
  const detail =
    error.keyword === 'additionalProperties'
      ? `unknown property ${(error.params as { additionalProperty: string }).additionalProperty}`
      : error.keyword === 'enum'
        ? `${error.message}: ${(error.params as { allowedValues: unknown[] }).allowedValues.slice(0, 8).join(', ')}…`
        : error.message;
  return `${at}: ${detail}`;
}
