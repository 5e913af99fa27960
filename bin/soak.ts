#!/usr/bin/env node
/**
 * `npm run soak -- --minutes N`: starts the local system as `npm start` does, sends it signed KYC webhooks of all five
 * vendors at a steady rate with bad ones mixed in, registers and approves investors through to the chains meanwhile,
 * then checks that nothing was lost, doubled or changed by a refused delivery.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Command } from 'commander';
import { Wallet } from 'ethers';
import { documentClient } from '../lambda/platform/aws/dynamo';
import { sqsClient } from '../lambda/platform/aws/sqs';
import { KYC_VENDORS } from '../lambda/shared';
import { LOCAL_KYC_CREDENTIALS } from './local/kyc';
import { FREE_PORTS, startRunnerProcess, type ReadyLine } from './local/runner-process';
import { checkAuditVerify, checkDeadLetters, checkInvestors, checkStoredOnce, type Check, type SoakInvestor } from './soak/checks';
import {
  applicantIdFor,
  EXPECTED_STATUS,
  onfidoRunFor,
  personNamed,
  syntheticName,
  Traffic,
  type Applicant,
  type Delivery,
  type DeliveryKind,
} from './soak/traffic';

interface SoakOptions {
  minutes: number;
  rate: number;
  bad: number;
  investorsPerSecond: number;
  chains: number;
  maxInFlight: number;
  drainSeconds: number;
  json: boolean;
}

const number = (min: number, max: number) => (value: string) => {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min || parsed > max) throw new Error(`must be a number from ${min} to ${max}`);
  return parsed;
};

const program = new Command('soak')
  .description('Soak the local system: signed webhooks of all five vendors at a steady rate, bad ones mixed in, investors through to the chains; then check')
  .option('--minutes <n>', 'how long the load runs', number(0.1, 120), 10)
  .option('--rate <per-second>', 'webhook deliveries per second', number(1, 1000), 200)
  .option('--bad <percent>', 'share of deliveries that are forged, stale, malformed, oversize or duplicates', number(0, 50), 10)
  .option('--investors-per-second <n>', 'investors registered and approved through to the chains meanwhile', number(0, 20), 1)
  .option('--chains <count>', 'local chains, 1 to 7', number(1, 7), 7)
  .option('--max-in-flight <n>', 'deliveries awaiting an answer at most (beyond it the load waits and the achieved rate says so)', number(1, 2000), 256)
  .option('--drain-seconds <n>', 'how long to wait after the load for the pipeline to settle', number(10, 3600), 300)
  .option('--json', 'print the figures and checks as one JSON object', false)
  .addHelpText('after', '\nBounded: at most minutes x 60 x rate deliveries, to the system this command starts on loopback ports; it stops it at the end.');

interface Answer {
  readonly kind: DeliveryKind;
  readonly status: number;
  readonly ms: number;
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

function say(options: SoakOptions, line: string): void {
  if (!options.json) process.stderr.write(`${line}\n`);
}

async function post(url: string, delivery: Delivery): Promise<number> {
  const response = await fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.body });
  await response.arrayBuffer();
  return response.status;
}

async function main(options: SoakOptions): Promise<number> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'tc-soak-'));
  say(options, `starting the local system (${options.chains} chains) in ${workDir} ...`);
  const runner = await startRunnerProcess([...FREE_PORTS, '--chains', String(options.chains)], workDir);
  const stopOnSignal = () => void runner.stop().then(() => process.exit(130));
  process.once('SIGINT', stopOnSignal).once('SIGTERM', stopOnSignal);
  try {
    const ready = runner.ready;
    if (!/^http:\/\/(127\.0\.0\.1|localhost)(:|\/)/.test(ready.apiUrl)) throw new Error(`refusing to soak ${ready.apiUrl}: loopback only`);
    Object.assign(process.env, ready.env);
    const result = await soak(options, ready);
    const checks = await settleAndCheck(options, ready, workDir, result);
    const figures = summarize(options, result);
    const ok = checks.every((check) => check.ok) && figures.unexpected === 0;
    if (options.json) console.log(JSON.stringify({ ok, options, figures, checks, workDir }));
    else console.log(report(figures, checks, ok));
    return ok ? 0 : 1;
  } finally {
    // After a heavy run the workers may take a while to finish their batches.
    await runner.stop(60_000);
  }
}

interface SoakResult {
  readonly answers: Answer[];
  readonly investors: SoakInvestor[];
  readonly accepted: Set<string>;
  readonly refused: Set<string>;
  readonly elapsedMs: number;
  readonly registrationFailures: number;
  readonly transportErrors: number;
}

async function soak(options: SoakOptions, ready: ReadyLine): Promise<SoakResult> {
  const total = Math.round(options.minutes * 60 * options.rate);
  const runId = `soak${Date.now().toString(36)}`;
  const traffic = new Traffic(LOCAL_KYC_CREDENTIALS.webhookSecrets, runId);
  const token = (role: string) => ready.tokens.find((candidate) => candidate.role === role)!.token;
  const simulator = (route: string, body: unknown) =>
    fetch(`${ready.vendorSimulatorUrl}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  // The vendors know the applicants of the background load before it starts (Sumsub's and Onfido's APIs answer for them).
  const background = Array.from({ length: total }, (_, index) => index);
  for (let start = 0; start < background.length; start += 5_000) {
    const enrolled = background
      .slice(start, start + 5_000)
      .map((index) => traffic.background(index).applicant)
      .filter((applicant) => applicant.vendor === 'sumsub' || applicant.vendor === 'onfido');
    await simulator('/_simulator/applicants', enrolled);
  }

  const answers: Answer[] = [];
  const investors: { investorId: string; targeted: boolean }[] = [];
  const approved: { investor: { investorId: string; targeted: boolean }; applicant: Applicant }[] = [];
  const accepted = new Set<string>();
  const refused = new Set<string>();
  let registrationFailures = 0;
  let transportErrors = 0;
  let inFlight = 0;

  const deliver = async (delivery: Delivery) => {
    inFlight += 1;
    const started = performance.now();
    try {
      const status = await post(`${ready.apiUrl}/webhooks/kyc/${delivery.vendor}`, delivery);
      answers.push({ kind: delivery.kind, status, ms: performance.now() - started });
      if (delivery.kind === 'accepted' && status === 200) accepted.add(delivery.bodySha256);
      if (delivery.kind !== 'accepted' && delivery.kind !== 'duplicate') refused.add(delivery.bodySha256);
    } catch {
      transportErrors += 1;
    } finally {
      inFlight -= 1;
    }
  };

  const onboard = async (index: number) => {
    const vendor = KYC_VENDORS[index % KYC_VENDORS.length]!;
    const externalId = `${runId}-investor-${index}`;
    const legalName = syntheticName(index, 11);
    const applicant: Applicant = {
      vendor,
      applicantId: applicantIdFor(vendor, externalId),
      externalReference: externalId,
      person: personNamed(legalName),
      ...(vendor === 'onfido' ? { runs: [onfidoRunFor(externalId)] } : {}),
    };
    const registration = await fetch(`${ready.apiUrl}/investors`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token('portal')}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        externalId,
        legalName,
        dateOfBirth: applicant.person.dateOfBirth,
        countryOfResidence: 'US',
        wallets: [Wallet.createRandom().address],
        kyc: { vendor, applicantId: applicant.applicantId },
      }),
    }).catch(() => undefined);
    if (!registration || registration.status !== 201) return void (registrationFailures += 1);
    const { investorId } = (await registration.json()) as { investorId: string };
    if (vendor === 'sumsub' || vendor === 'onfido') await simulator('/_simulator/applicants', [applicant]);
    const investor = { investorId, targeted: false };
    investors.push(investor);
    await deliver(traffic.verdict(applicant, 'approved'));
    approved.push({ investor, applicant });
  };

  const badEvery = options.bad > 0 ? Math.round(100 / options.bad) : Infinity;
  const investorEvery = options.investorsPerSecond > 0 ? Math.max(1, Math.round(options.rate / options.investorsPerSecond)) : Infinity;
  const pending = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };
  const started = performance.now();
  let sent = 0;
  let lastReport = started;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * options.rate));
    while (sent < due && inFlight < options.maxInFlight) {
      const index = sent++;
      if (index % investorEvery === 0) track(onboard(index / investorEvery));
      else if (index % badEvery === 1 && approved.length > 0) {
        const target = approved[index % approved.length]!;
        target.investor.targeted = true;
        track(deliver(traffic.bad(index, target.applicant)));
      } else track(deliver(traffic.background(index).delivery));
    }
    if (performance.now() - lastReport > 10_000) {
      lastReport = performance.now();
      const seconds = (lastReport - started) / 1000;
      say(options, `  ${seconds.toFixed(0)} s: ${sent}/${total} sent (${(sent / seconds).toFixed(0)}/s), ${inFlight} in flight, ${investors.length} investors`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await Promise.all(pending);
  return { answers, investors, accepted, refused, elapsedMs: performance.now() - started, registrationFailures, transportErrors };
}

/** Waits until every investor's wallets reached what their status implies (or the drain time is up), then checks. */
async function settleAndCheck(options: SoakOptions, ready: ReadyLine, workDir: string, result: SoakResult): Promise<Check[]> {
  const call = async (method: string, route: string, role: string) => {
    const token = ready.tokens.find((candidate) => candidate.role === role)!.token;
    const response = await fetch(`${ready.apiUrl}${route}`, { method, headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  say(options, `load done; waiting up to ${options.drainSeconds} s for ${result.investors.length} investors to settle ...`);
  const deadline = Date.now() + options.drainSeconds * 1000;
  for (;;) {
    const unsettled = [];
    for (const { investorId } of result.investors) {
      const { body } = await call('GET', `/investors/${investorId}`, 'operator');
      if (['kyc_pending', 'kyc_approved', 'eligible'].includes(String(body.status))) unsettled.push(investorId);
      else if (body.status === 'allowlisted') {
        const wallets = await call('GET', `/investors/${investorId}/wallets`, 'operator');
        if ((wallets.body.chains as { state: string }[]).some((chain) => chain.state !== 'allowlisted')) unsettled.push(investorId);
      }
    }
    if (unsettled.length === 0 || Date.now() > deadline) break;
    say(options, `  ${unsettled.length} investors not settled yet`);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
  }
  // The KYC worker may still be applying the background events: give the queue a moment to empty.
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  say(options, 'checking ...');
  return [
    ...(await checkStoredOnce(documentClient(), ready.env.KYC_EVENTS_TABLE!, { accepted: result.accepted, refused: result.refused })),
    ...(await checkInvestors(call, result.investors)),
    await checkDeadLetters(sqsClient(), ready.env),
    await checkAuditVerify(workDir),
  ];
}

function summarize(options: SoakOptions, result: SoakResult) {
  const latencies = result.answers.map((answer) => answer.ms).sort((a, b) => a - b);
  const byKind = Object.fromEntries(
    (Object.keys(EXPECTED_STATUS) as DeliveryKind[]).map((kind) => {
      const mine = result.answers.filter((answer) => answer.kind === kind);
      const statuses: Record<string, number> = {};
      for (const { status } of mine) statuses[status] = (statuses[status] ?? 0) + 1;
      return [kind, { sent: mine.length, expected: EXPECTED_STATUS[kind], statuses }];
    }),
  );
  const unexpected = result.answers.filter((answer) => answer.status !== EXPECTED_STATUS[answer.kind]).length + result.transportErrors;
  return {
    deliveries: result.answers.length,
    seconds: Math.round(result.elapsedMs / 100) / 10,
    achievedRate: Math.round((result.answers.length / result.elapsedMs) * 1000 * 10) / 10,
    targetRate: options.rate,
    latencyMs: { p50: round(percentile(latencies, 50)), p99: round(percentile(latencies, 99)), max: round(latencies.at(-1) ?? NaN) },
    byKind,
    unexpected,
    transportErrors: result.transportErrors,
    investors: result.investors.length,
    registrationFailures: result.registrationFailures,
  };
}

const round = (ms: number) => Math.round(ms * 10) / 10;

function report(figures: ReturnType<typeof summarize>, checks: readonly Check[], ok: boolean): string {
  return [
    `soak: ${ok ? 'OK' : 'FAILED'}: ${figures.deliveries} deliveries in ${figures.seconds} s (${figures.achievedRate}/s of ${figures.targetRate}/s), ${figures.investors} investors`,
    `  ack latency p50 ${figures.latencyMs.p50} ms, p99 ${figures.latencyMs.p99} ms, max ${figures.latencyMs.max} ms`,
    ...Object.entries(figures.byKind).map(
      ([kind, { sent, expected, statuses }]) =>
        `  ${kind.padEnd(10)} ${String(sent).padStart(7)} sent, expected ${expected}: ${Object.entries(statuses)
          .map(([status, n]) => `${n}x ${status}`)
          .join(', ')}`,
    ),
    `  unexpected answers ${figures.unexpected} (transport errors ${figures.transportErrors}), failed registrations ${figures.registrationFailures}`,
    ...checks.map((check) => `  ${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}`),
  ].join('\n');
}

program.action(async (options: SoakOptions) => {
  process.exitCode = await main(options);
});

program.parseAsync().catch((error: Error) => {
  console.error(`soak failed: ${error.message}`);
  process.exit(3);
});
