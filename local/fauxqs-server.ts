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
