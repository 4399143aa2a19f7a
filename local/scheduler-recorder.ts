import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBoundedBody } from './read-body.ts';

/** Scheduler's own limit on a target's input is 8 KB; a request body is that and the schedule's fields. */
const MAX_REQUEST_BYTES = 64 * 1024;

/**
 * A small EventBridge Scheduler endpoint for the local stack (dev tooling; no emulator supports
 * Scheduler): it records CreateSchedule / DeleteSchedule (REST-JSON) so that tests and the runner can see
 * the one-time reminder schedules a disconnection plan creates and fire them by hand. Firing one removes
 * it when it was created with `ActionAfterCompletion: DELETE`, as Scheduler does after a one-time run.
 */
export interface RecordedSchedule {
  name: string;
  groupName: string;
  expression: string;
  timeZone?: string;
  targetArn: string;
  input: unknown;
  actionAfterCompletion: 'NONE' | 'DELETE';
  createdAt: string;
}

export interface SchedulerRecorder {
  url: string;
  /** Schedules that exist now (created and not deleted). */
  schedules(): RecordedSchedule[];
  /** Every schedule ever deleted, by name (by a DeleteSchedule call or after it fired). */
  deleted(): string[];
  /**
   * Fires a schedule as Scheduler would at its time: returns it (the caller invokes its target with its
   * input) and, when it was created with `ActionAfterCompletion: DELETE`, removes it.
   */
  fire(name: string, groupName?: string): RecordedSchedule;
  stop(): Promise<void>;
}

export async function startSchedulerRecorder(opts: { host?: string } = {}): Promise<SchedulerRecorder> {
  const host = opts.host ?? '127.0.0.1';
  const live = new Map<string, RecordedSchedule>();
  const deleted: string[] = [];
  const server = createServer((req, res) => {
    const tooLarge = () => new Error(`request body over ${MAX_REQUEST_BYTES} bytes`);
    readBoundedBody(req, MAX_REQUEST_BYTES, tooLarge).then(
      (text) => answer(text),
      (error: Error) => {
        if (!res.headersSent) {
          res.writeHead(413, {
            'content-type': 'application/json',
            'x-amzn-errortype': 'ValidationException',
          });
          res.end(JSON.stringify({ Message: error.message }));
        }
      },
    );
    const answer = (text: string) => {
      const url = new URL(req.url ?? '/', 'http://local');
      const match = /^\/schedules\/([^/]+)$/.exec(url.pathname);
      const reply = (status: number, body: unknown, errorType?: string) => {
        res.writeHead(status, {
          'content-type': 'application/json',
          ...(errorType === undefined ? {} : { 'x-amzn-errortype': errorType }),
        });
        res.end(JSON.stringify(body));
      };
      if (match === null)
        return reply(404, { Message: `no route ${req.method} ${url.pathname}` }, 'ResourceNotFoundException');
      const name = decodeURIComponent(match[1]!);
      if (req.method === 'POST') {
        let body: {
          GroupName?: string;
          ScheduleExpression?: string;
          ScheduleExpressionTimezone?: string;
          ActionAfterCompletion?: string;
          Target?: { Arn?: string; Input?: string };
        };
        let input: unknown;
        try {
          body = JSON.parse(text || '{}');
          input = body.Target?.Input === undefined ? undefined : JSON.parse(body.Target.Input);
        } catch {
          return reply(
            400,
            { Message: 'the request body or its Target.Input is not JSON' },
            'ValidationException',
          );
        }
        const groupName = body.GroupName ?? 'default';
        const key = `${groupName}/${name}`;
        if (live.has(key))
          return reply(409, { Message: `Schedule ${name} already exists.` }, 'ConflictException');
        live.set(key, {
          name,
          groupName,
          expression: body.ScheduleExpression ?? '',
          ...(body.ScheduleExpressionTimezone === undefined
            ? {}
            : { timeZone: body.ScheduleExpressionTimezone }),
          targetArn: body.Target?.Arn ?? '',
          input,
          actionAfterCompletion: body.ActionAfterCompletion === 'DELETE' ? 'DELETE' : 'NONE',
          createdAt: new Date().toISOString(),
        });
        return reply(200, { ScheduleArn: `arn:aws:scheduler:us-east-1:000000000000:schedule/${key}` });
      }
      if (req.method === 'DELETE') {
        const key = `${url.searchParams.get('groupName') ?? 'default'}/${name}`;
        if (!live.delete(key))
          return reply(404, { Message: `Schedule ${name} does not exist.` }, 'ResourceNotFoundException');
        deleted.push(name);
        return reply(200, {});
      }
      return reply(405, { Message: `${req.method} is not supported here` }, 'ValidationException');
    };
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    schedules: () => [...live.values()],
    deleted: () => [...deleted],
    fire(name, groupName = [...live.values()].find((s) => s.name === name)?.groupName ?? 'default') {
      const key = `${groupName}/${name}`;
      const schedule = live.get(key);
      if (schedule === undefined) throw new Error(`no schedule ${key} to fire`);
      if (schedule.actionAfterCompletion === 'DELETE') {
        live.delete(key);
        deleted.push(name);
      }
      return schedule;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
