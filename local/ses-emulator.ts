/** The SES v2 emulator (aws-ses-v2-local) in process; its mailbox is module state, one per process. */
import type { Server } from 'node:http';

/** One email as the SES emulator stores it (`GET /store`). */
export interface SesStoredEmail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  attachments: { content: string; contentType: string; filename?: string; size: number }[];
  headers?: { name: string; value: string }[];
  /** Epoch seconds, as the emulator records it. */
  at: number;
}

/** What `GetAccount` returns from the SES emulator (it reads AWS_SES_ACCOUNT at request time). */
const SES_ACCOUNT = {
  DedicatedIpAutoWarmupEnabled: false,
  Details: {
    AdditionalContactEmailAddresses: [],
    ContactLanguage: 'EN',
    MailType: 'TRANSACTIONAL',
    ReviewDetails: { CaseId: 'local', Status: 'GRANTED' },
    UseCaseDescription: 'keybill local stack',
    WebsiteURL: 'http://127.0.0.1/',
  },
  EnforcementStatus: 'HEALTHY',
  ProductionAccessEnabled: true,
  SendingEnabled: true,
  SendQuota: { Max24HourSend: 50_000, MaxSendRate: 14, SentLast24Hours: 0 },
  SuppressionAttributes: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
};

type StartSes = (config?: Partial<{ host: string; port: number }>) => Promise<Server>;

export interface SesEmulator {
  stop(): Promise<void>;
  url: string;
  listEmails(): Promise<SesStoredEmail[]>;
  clear(): Promise<void>;
}

export async function startSesEmulator(): Promise<SesEmulator> {
  const mod: unknown = await import('aws-ses-v2-local');
  const startSes = findDefaultFunction(mod) as StartSes | undefined;
  if (startSes === undefined) throw new Error('aws-ses-v2-local: could not find its default export');
  // The emulator (this process) answers GetAccount from this variable; clients never read it.
  process.env.AWS_SES_ACCOUNT ??= JSON.stringify(SES_ACCOUNT);
  const server = await startSes({ port: 0, host: '127.0.0.1' });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('aws-ses-v2-local: no TCP address');
  const url = `http://127.0.0.1:${address.port}`;

  const clear = async (): Promise<void> => {
    const res = await fetch(`${url}/clear-store`, { method: 'POST' });
    if (!res.ok) throw new Error(`SES emulator: clear-store answered ${res.status}`);
  };
  // Its mailbox is module state shared by every emulator in this process: start empty.
  await clear();

  let stopped: Promise<void> | undefined;
  return {
    url,
    clear,
    async listEmails() {
      const res = await fetch(`${url}/store`);
      if (!res.ok) throw new Error(`SES emulator: /store answered ${res.status}`);
      const store = (await res.json()) as { emails: SesStoredEmail[] };
      return store.emails;
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

/** The package is CommonJS with `exports.default`; loaders differ on whether they unwrap it. */
function findDefaultFunction(mod: unknown): unknown {
  let candidate: unknown = mod;
  for (let depth = 0; depth < 3 && candidate !== null && candidate !== undefined; depth++) {
    if (typeof candidate === 'function') return candidate;
    candidate = (candidate as { default?: unknown }).default;
  }
  return typeof candidate === 'function' ? candidate : undefined;
}
