import { type ChildProcess, spawn } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/*
 * Headless Chromium driven over the DevTools protocol with Node's own WebSocket: open a page, run a line
 * of script in it (fill a form, press its button), wait for the next page, take a screenshot. Enough to
 * check the answer pages as a phone's browser shows and submits them, without a browser library.
 */

export async function findChromium(): Promise<string | undefined> {
  const candidates = process.env.CHROMIUM_PATH
    ? [process.env.CHROMIUM_PATH]
    : ['/usr/bin/chromium', ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'chromium'))];
  for (const candidate of candidates) {
    try {
      await access(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface BrowserPage {
  /** Evaluates an expression in the page; answers its value. */
  evaluate<T>(expression: string): Promise<T>;
  /** Runs `action` and waits for the page it leads to (a navigation or a form's POST) to load. */
  loadAfter(action: () => Promise<unknown>): Promise<void>;
  screenshot(): Promise<Buffer>;
  close(): Promise<void>;
}

export async function openPage(
  chromium: string,
  url: string,
  size = { width: 390, height: 844 },
): Promise<BrowserPage> {
  const profile = await mkdtemp(join(tmpdir(), 'keybill-chromium-'));
  const browser = spawn(
    chromium,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      `--window-size=${size.width},${size.height}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const close = async () => {
    browser.kill('SIGKILL');
    await new Promise((resolve) =>
      browser.exitCode === null ? browser.once('exit', resolve) : resolve(null),
    );
    await rm(profile, { recursive: true, force: true });
  };
  try {
    const endpoint = await devToolsEndpoint(browser);
    const http = endpoint.replace(/^ws:\/\/([^/]+)\/.*$/, 'http://$1');
    const target = (await (await fetch(`${http}/json/new?about:blank`, { method: 'PUT' })).json()) as {
      webSocketDebuggerUrl: string;
    };
    const session = await connect(target.webSocketDebuggerUrl);
    await session.send('Page.enable');
    await session.send('Runtime.enable');
    const page: BrowserPage = {
      async evaluate<T>(expression: string) {
        const out = (await session.send('Runtime.evaluate', {
          expression,
          returnByValue: true,
          awaitPromise: true,
        })) as {
          result: { value: T };
        };
        return out.result.value;
      },
      async loadAfter(action) {
        const loaded = session.next('Page.loadEventFired');
        await action();
        await loaded;
      },
      async screenshot() {
        const out = (await session.send('Page.captureScreenshot', { format: 'png' })) as { data: string };
        return Buffer.from(out.data, 'base64');
      },
      async close() {
        session.close();
        await close();
      },
    };
    await page.loadAfter(() => session.send('Page.navigate', { url }));
    return page;
  } catch (error) {
    await close();
    throw error;
  }
}

function devToolsEndpoint(browser: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    browser.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
      if (match !== null) resolve(match[1]!);
    });
    browser.once('exit', (code) =>
      reject(new Error(`chromium exited (${code}) before DevTools listened: ${seen.slice(-500)}`)),
    );
  });
}

interface Session {
  send(method: string, params?: Record<string, unknown>): Promise<unknown>;
  next(event: string): Promise<unknown>;
  close(): void;
}

async function connect(url: string): Promise<Session> {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', reject, { once: true });
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const waiting = new Map<string, ((v: unknown) => void)[]>();
  socket.addEventListener('message', (message) => {
    const data = JSON.parse(String(message.data)) as {
      id?: number;
      result?: unknown;
      error?: { message: string };
      method?: string;
      params?: unknown;
    };
    if (data.id !== undefined) {
      const call = pending.get(data.id);
      pending.delete(data.id);
      if (data.error !== undefined) call?.reject(new Error(data.error.message));
      else call?.resolve(data.result);
    } else if (data.method !== undefined) {
      const listeners = waiting.get(data.method) ?? [];
      waiting.delete(data.method);
      for (const listener of listeners) listener(data.params);
    }
  });
  return {
    send(method, params = {}) {
      const id = nextId++;
      socket.send(JSON.stringify({ id, method, params }));
      return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
    },
    next(event) {
      return new Promise((resolve) => waiting.set(event, [...(waiting.get(event) ?? []), resolve]));
    },
    close: () => socket.close(),
  };
}
