import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small EventBridge Scheduler endpoint for the local stack (dev tooling; no emulator supports
 * Scheduler): it records CreateSchedule / DeleteSchedule (REST-JSON) so that tests and the runner can see
 * the one-time reminder schedules a disconnection plan creates and fire them by hand.
 */
export interface RecordedSchedule {
  name: string;
  groupName: string;
  expression: string;
  timeZone?: string;
  targetArn: string;
  input: unknown;
  createdAt: string;
}

export interface SchedulerRecorder {
  url: string;
  /** Schedules that exist now (created and not deleted). */
  schedules(): RecordedSchedule[];
  /** Every schedule ever deleted, by name. */
  deleted(): string[];
  stop(): Promise<void>;
}

export async function startSchedulerRecorder(opts: { host?: string } = {}): Promise<SchedulerRecorder> {
  const host = opts.host ?? '127.0.0.1';
  const live = new Map<string, RecordedSchedule>();
  const deleted: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
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
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as {
          GroupName?: string;
          ScheduleExpression?: string;
          ScheduleExpressionTimezone?: string;
          Target?: { Arn?: string; Input?: string };
        };
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
          input: body.Target?.Input === undefined ? undefined : JSON.parse(body.Target.Input),
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
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    schedules: () => [...live.values()],
    deleted: () => [...deleted],
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
