import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { commandOf, descendantsOf, isGone, portIsFree } from '../helpers/processes';
import { eventually } from '../helpers/e2e-system';

const ROOT = path.resolve(__dirname, '..', '..');

interface Ready {
  readonly pid: number;
  readonly apiUrl: string;
  readonly consoleUrl: string;
  readonly vendorSimulatorUrl: string;
  readonly services: readonly { name: string; endpoint: string }[];
  readonly chains: readonly { rpcUrl: string }[];
}

/** `npm start -- --json ...` exactly as a user types it, in a process group of its own, until its ready line. */
async function npmStart(workDir: string): Promise<{ npm: ChildProcess; ready: Ready }> {
  const args = ['start', '--', '--json', '--chains', '1', '--work-dir', workDir];
  for (const option of ['--api-port', '--console-port', '--dynamodb-port', '--sqs-port', '--chain-port', '--vendors-port']) args.push(option, '0');
  const npm = spawn('npm', args, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  npm.stderr!.resume();
  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('npm start was not ready within 120 s')), 120_000);
    npm.once('exit', (code, signal) => reject(new Error(`npm start exited (${code ?? signal}) before it was ready`)));
    createInterface({ input: npm.stdout! }).on('line', (line) => {
      if (!line.startsWith('{"ready":true')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line) as Ready);
    });
  });
  return { npm, ready };
}

const portOf = (url: string) => Number(new URL(url).port);

describe('stopping `npm start`', () => {
  // What a user signals: npm (Ctrl-C is a SIGINT; a closed terminal a SIGHUP, which npm does not
  // forward), or the pid the JSON line names.
  const cases: [NodeJS.Signals, string, (npm: ChildProcess, ready: Ready) => number][] = [
    ['SIGINT', 'npm', (npm) => npm.pid!],
    ['SIGTERM', 'npm', (npm) => npm.pid!],
    ['SIGHUP', 'npm', (npm) => npm.pid!],
    ['SIGTERM', 'the pid --json prints', (_npm, ready) => ready.pid],
  ];

  it.each(cases)(
    'a %s to %s leaves no process and no port behind',
    async (signal, whom, target) => {
      const workDir = mkdtempSync(path.join(tmpdir(), 'tc-stop-'));
      const { npm, ready } = await npmStart(workDir);
      const processes = descendantsOf(npm.pid!);
      const commands = processes.map(commandOf);
      // The runner itself and every service it started are below npm.
      expect(processes).toContain(ready.pid);
      for (const part of [/^java .*DynamoDBLocal\.jar/, /fauxqs-server\.mjs/, /bin\/chain\/node\.mjs/])
        expect(commands.filter((command) => part.test(command))).toHaveLength(1);
      const urls = [
        ready.apiUrl,
        ready.consoleUrl,
        ready.vendorSimulatorUrl,
        ...ready.services.map((service) => service.endpoint),
        ...ready.chains.map((chain) => chain.rpcUrl),
      ];
      const ports = [...new Set(urls.map(portOf))];
      expect(ports).toHaveLength(6); // the API, the console, the vendor simulator, DynamoDB Local, fauxqs, the chain
      expect(await Promise.all(ports.map(portIsFree))).toEqual(ports.map(() => false));
      expect(existsSync(path.join(workDir, 'session.json'))).toBe(true);

      process.kill(target(npm, ready), signal);

      await eventually(async () => [npm.pid!, ...processes].every(isGone), 30_000, 200).catch(() => {
        const left = [npm.pid!, ...processes].filter((pid) => !isGone(pid));
        const report = left.map((pid) => `${pid} ${commandOf(pid)}`);
        // Leave nothing behind for the next test (or a jest that waits on their pipes).
        for (const pid of left) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // gone meanwhile
          }
        }
        throw new Error(`still running after a ${signal} to ${whom}:\n${report.join('\n')}`);
      });
      expect(await Promise.all(ports.map(portIsFree))).toEqual(ports.map(() => true));
      expect(existsSync(path.join(workDir, 'session.json'))).toBe(false);
    },
    180_000,
  );
});
