import { describe, expect, it } from 'vitest';
import { OperatorCommand } from '#services/operator-command-schema.ts';
import {
  operatorTestEvents,
  testEventSchemaDocument,
  testEventSchemaName,
} from '../../infra/concerns/operator-test-events.ts';

/** A drop bucket's name as CloudFormation generates it for the stack (the stack passes its own). */
const DROP_BUCKET = 'keybill-dropsbucket1a2b3c4d-0a1b2c3d4e5f';
const events = operatorTestEvents(DROP_BUCKET);

/** Every command the operator schema accepts, read from the schema itself: a new command needs an event. */
const SCHEMA_COMMANDS = OperatorCommand.options.map((option) => option.shape.command.value);

describe('operator console test events', () => {
  it.each(events.map((e) => [e.name, e.event] as const))('%s parses with the operator schema', (_, event) => {
    const parsed = OperatorCommand.safeParse(event);
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it('has an event for every command the operator accepts, and none for a command it does not', () => {
    const eventCommands = new Set(events.map((e) => e.event.command));
    expect(SCHEMA_COMMANDS.filter((c) => !eventCommands.has(c))).toEqual([]);
    expect([...eventCommands].filter((c) => !SCHEMA_COMMANDS.includes(c as never))).toEqual([]);
    expect(SCHEMA_COMMANDS.length).toBeGreaterThanOrEqual(10);
  });

  it('lists runs both by period and by status', () => {
    const listRuns = events.filter((e) => e.event.command === 'list-runs').map((e) => e.event);
    expect(listRuns).toEqual([
      expect.objectContaining({ period: expect.any(String) }),
      expect.objectContaining({ status: expect.any(String) }),
    ]);
  });

  it('names events as the console allows: unique, letters, digits, . - _, at most 25 characters', () => {
    const names = events.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[A-Za-z0-9._-]{1,25}$/);
  });

  it('runs a meter-read drop of the stack bucket under drops/reads/YYYY-MM/', () => {
    const runDrop = events.find((e) => e.event.command === 'run-drop')?.event;
    expect(runDrop).toMatchObject({
      bucket: DROP_BUCKET,
      key: expect.stringMatching(/^drops\/reads\/\d{4}-\d\d\//),
    });
  });

  it('keeps the events under components.examples of an OpenAPI 3 document, as the console does', () => {
    const document = testEventSchemaDocument(events) as {
      openapi: string;
      components: { examples: Record<string, { value: unknown }> };
    };
    expect(document.openapi).toBe('3.0.0');
    expect(Object.keys(document.components.examples)).toEqual(events.map((e) => e.name));
    for (const { name, event } of events)
      expect(document.components.examples[name]).toEqual({ value: event });
  });

  it('names the schema as the console looks it up', () => {
    expect(testEventSchemaName('keybill-operator')).toBe('_keybill-operator-schema');
  });

  it('refuses a broken event: a saved event with a hostile key would not parse', () => {
    // The guard the tests above rely on: the schema does refuse what the console could send.
    const hostile = { command: 'run-drop', bucket: DROP_BUCKET, key: 'drops/reads/../../etc/passwd' };
    expect(OperatorCommand.safeParse(hostile).success).toBe(false);
  });
});
