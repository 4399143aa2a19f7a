/** fauxqs (S3 + SQS) in process, with queue URLs that follow the endpoint. */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FauxqsServer } from 'fauxqs';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The account id fauxqs puts in queue URLs and ARNs. */
const SQS_ACCOUNT_ID = '000000000000';

export async function startFauxqsServer(
  log: (line: string) => void,
  region: string,
): Promise<{ server: FauxqsServer; stop(): Promise<void> }> {
  const { startFauxqs, interceptLocalhostDns } = await import('fauxqs');
  if (!(await makeQueueUrlsFollowTheEndpoint())) {
    log(
      '[fauxqs] could not make queue URLs follow the endpoint; resolving *.localhost to 127.0.0.1 in-process',
    );
    interceptLocalhostDns();
  }
  if (!(await addMessageMoveTasks())) log('[fauxqs] no message-move tasks: redrive will fail locally');
  // fauxqs listens on 0.0.0.0 whatever `host` says; `host` only names queue URLs, so it is left out.
  const server = await startFauxqs({ port: 0, logger: false, defaultRegion: region });
  let stopped: Promise<void> | undefined;
  return {
    server,
    stop() {
      stopped ??= server.stop();
      return stopped;
    },
  };
}

let queueUrlsPatched: Promise<boolean> | undefined;

/**
 * fauxqs names queues `http://sqs.<region>.localhost:<port>/…`. An SQS client configured by environment
 * sends each call to the origin of its QueueUrl, and `*.localhost` does not resolve here, so a handler
 * handed a queue URL would fail. Queue URLs on the endpoint itself
 * (`http://127.0.0.1:<port>/000000000000/<name>`, built from the request's Host) work from any process.
 * fauxqs 2.4.1 has no option for that (an empty host falls back to `localhost`), so its store's URL builder
 * is replaced; the integration test pins the resulting URL form.
 */
function makeQueueUrlsFollowTheEndpoint(): Promise<boolean> {
  queueUrlsPatched ??= (async () => {
    try {
      const storeModule = pathToFileURL(
        join(REPO_ROOT, 'node_modules', 'fauxqs', 'dist', 'sqs', 'sqsStore.js'),
      );
      const { SqsStore } = (await import(storeModule.href)) as {
        SqsStore?: { prototype: { buildQueueUrl?: (...args: string[]) => string } };
      };
      if (typeof SqsStore?.prototype.buildQueueUrl !== 'function') return false;
      SqsStore.prototype.buildQueueUrl = (queueName: string, _port: string, requestHost: string) =>
        `http://${requestHost}/${SQS_ACCOUNT_ID}/${queueName}`;
      return true;
    } catch {
      return false;
    }
  })();
  return queueUrlsPatched;
}

let moveTasksAdded: Promise<boolean> | undefined;

interface FauxqsQueue {
  url: string;
  arn: string;
  attributes: Record<string, string>;
}
type SqsHandler = (body: unknown, store: unknown, request: unknown) => Promise<Record<string, unknown>>;
interface Router {
  handlers: Map<string, SqsHandler>;
  store: { getQueueByArn(arn: string): FauxqsQueue | undefined; allQueues(): Iterable<FauxqsQueue> };
}
interface Reply {
  status(code: number): void;
  header(name: string, value: string): void;
}

/**
 * A stand-in for SQS message-move tasks (`StartMessageMoveTask` without a destination: a dead-letter
 * queue's messages back to the queue whose redrive policy names it), which fauxqs 2.4.1 does not have.
 * The move is done before the answer, where SQS moves asynchronously; callers poll the queues either way.
 * Every other action goes to fauxqs as it is.
 */
function addMessageMoveTasks(): Promise<boolean> {
  moveTasksAdded ??= (async () => {
    try {
      const routerModule = pathToFileURL(
        join(REPO_ROOT, 'node_modules', 'fauxqs', 'dist', 'sqs', 'sqsRouter.js'),
      );
      const { SqsRouter } = (await import(routerModule.href)) as {
        SqsRouter?: { prototype: { handle?: (request: unknown, reply: unknown) => Promise<unknown> } };
      };
      const handle = SqsRouter?.prototype.handle;
      if (SqsRouter === undefined || typeof handle !== 'function') return false;
      SqsRouter.prototype.handle = async function (this: Router, request: unknown, reply: unknown) {
        const { headers, body } = request as {
          headers: Record<string, string>;
          body: { SourceArn?: string };
        };
        if (headers['x-amz-target'] !== 'AmazonSQS.StartMessageMoveTask')
          return handle.call(this, request, reply);
        return moveBack(this, body.SourceArn ?? '', request, reply as Reply);
      };
      return true;
    } catch {
      return false;
    }
  })();
  return moveTasksAdded;
}

async function moveBack(router: Router, sourceArn: string, request: unknown, reply: Reply) {
  reply.header('content-type', 'application/x-amz-json-1.0');
  const dlq = router.store.getQueueByArn(sourceArn);
  const sources = [...router.store.allQueues()].filter((q) => {
    try {
      return JSON.parse(q.attributes.RedrivePolicy ?? '{}').deadLetterTargetArn === sourceArn;
    } catch {
      return false;
    }
  });
  if (dlq === undefined || sources.length !== 1) {
    reply.status(400);
    return {
      __type: 'com.amazonaws.sqs#InvalidParameterValue',
      message: `${sourceArn} is not the dead-letter queue of exactly one queue`,
    };
  }
  const call = (action: string, body: unknown) => router.handlers.get(action)!(body, router.store, request);
  for (;;) {
    const { Messages = [] } = (await call('ReceiveMessage', {
      QueueUrl: dlq.url,
      MaxNumberOfMessages: 10,
      MessageAttributeNames: ['All'],
      VisibilityTimeout: 30,
    })) as { Messages?: { Body: string; ReceiptHandle: string; MessageAttributes?: unknown }[] };
    if (Messages.length === 0) break;
    for (const m of Messages) {
      await call('SendMessage', {
        QueueUrl: sources[0]!.url,
        MessageBody: m.Body,
        ...(m.MessageAttributes === undefined ? {} : { MessageAttributes: m.MessageAttributes }),
      });
      await call('DeleteMessage', { QueueUrl: dlq.url, ReceiptHandle: m.ReceiptHandle });
    }
  }
  return { TaskHandle: `local-move-task-${Date.now()}` };
}
