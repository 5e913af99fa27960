import { randomBytes } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { documentClient } from '../../lambda/platform/aws/dynamo';
import { FolderListSource } from '../../lambda/modules/screening/adapters';
import { sqsClient } from '../../lambda/platform/aws/sqs';
import { SqsScreeningRequests } from '../../lambda/modules/investors/adapters';
import type { AuditRecord } from '../../lambda/modules/audit';
import { UnprocessableDecisionError } from '../../lambda/modules/cases/errors';
import {
  approveCase,
  claimCase,
  claimNextCase,
  decideCase,
  listCases,
  openCase,
  parseCaseList,
  rejectProposal,
  releaseCase,
  showCase,
  type ApprovalDeps,
  type Case,
} from '../../lambda/modules/cases';
import { applyCaseEffects } from '../../lambda/modules/cases/effects';
import { blockedPropertyReportDueBy } from '../../lambda/modules/cases/business-days';
import type { Officer } from '../../lambda/modules/cases/review';
import { ConflictError, ForbiddenError } from '../../lambda/shared';
import { addWallet, reinstateInvestor, suspendInvestor, transition, type Investor } from '../../lambda/modules/investors';
import { refreshSanctionsList, screenInvestor, screeningStanding } from '../../lambda/modules/screening';
import type { ScreenInvestorDeps } from '../../lambda/modules/screening/screen-investor';
import { LIST_2023_12_28, LIST_2024_05_03, realList } from '../helpers/ofac-data';
import { drain, screeningSystem, storedInvestor } from '../helpers/screening-system';

const REGISTRIES = [
  { chainId: 31337, identityRegistry: '0x5fbdb2315678afecb367f032d93f642f64180aa3' },
  { chainId: 31338, identityRegistry: '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512' },
];
const officer = (name: string): Officer => ({ subject: `officer-${name}`, actor: `compliance-officer:officer-${name}` });
const alice = officer('alice');
const bob = officer('bob');
const listedEth = realList().entries.flatMap((entry) =>
  entry.wallets.filter((wallet) => wallet.address.startsWith('0x')).map((wallet) => ({ sdnId: entry.sdnId, address: wallet.address.toLowerCase() })),
)[0]!;

type System = Awaited<ReturnType<typeof screeningSystem>>;

/** The review queue and screening wired to fresh tables and queues, as the cases API and the screening worker wire them. */
async function setup(options: { listDir?: string; withList?: boolean; now?: () => Date } = {}) {
  const system = await screeningSystem();
  if (options.withList !== false) await refreshSanctionsList({ ...system, actor: 'system:test' }, new FolderListSource(options.listDir ?? LIST_2024_05_03));
  const screening: ScreenInvestorDeps = { ...system, registries: REGISTRIES, actor: 'system:screening-worker' };
  const review: ApprovalDeps = {
    cases: system.cases,
    audit: system.audit,
    slaHours: 24,
    now: options.now,
    effects: { investors: system.investors, audit: system.audit, allowlist: system.allowlist, registries: REGISTRIES, sanctions: screeningStanding(system) },
  };
  return { system, screening, review };
}

async function records(system: System, stream: string): Promise<AuditRecord[]> {
  const { Items = [] } = await documentClient().send(
    new QueryCommand({
      TableName: system.auditTable,
      KeyConditionExpression: '#s = :s',
      ExpressionAttributeNames: { '#s': 'stream' },
      ExpressionAttributeValues: { ':s': stream },
      ConsistentRead: true,
    }),
  );
  return Items as AuditRecord[];
}

async function openTestCase(system: System, overrides: Partial<Parameters<typeof openCase>[1]> = {}): Promise<Case> {
  const { case: opened } = await openCase(
    { cases: system.cases, audit: system.audit },
    { type: 'chain_drift', key: `chain_drift|test|${ulid()}`, risk: 'medium', evidence: { wallet: '0xabc' }, ...overrides },
    'system:test',
  );
  return opened;
}

/** An investor approved by KYC (valid for a year), screened by the real engine against the loaded list. */
async function screenedInvestor(system: System, screening: ScreenInvestorDeps, overrides: Partial<Investor>): Promise<Investor> {
  const kyc = {
    vendor: 'sumsub' as const,
    applicantId: `app-${ulid()}`,
    verdict: 'approved' as const,
    approvedAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 365 * 86_400_000).toISOString(),
  };
  const stored = await storedInvestor(system.investors, { status: 'kyc_approved', kyc, wallets: [`0x${randomBytes(20).toString('hex')}`], ...overrides });
  return screenInvestor(screening, stored.investorId);
}

async function onlyCaseOf(system: System, investorId: string, type: Case['type']): Promise<Case> {
  const [found, ...more] = await system.cases.find({ statuses: ['open'], investorId, type }, 10);
  expect(more).toEqual([]);
  return found!;
}

const maduro = { legalName: 'Nicolás Maduro Moros', dateOfBirth: '1962-11-23', countryOfResidence: 'VE' };

/** A screened investor with one potential-match case, claimed by alice, who proposes `disposition`. */
async function proposed(
  context: Awaited<ReturnType<typeof setup>>,
  disposition: 'false_positive' | 'true_match',
  reason: string,
  overrides: Partial<Investor> = maduro,
) {
  const investor = await screenedInvestor(context.system, context.screening, overrides);
  const potential = await onlyCaseOf(context.system, investor.investorId, 'potential_match');
  await claimCase(context.review, potential.caseId, alice);
  const proposal = await decideCase(context.review, potential.caseId, { disposition, reason }, alice);
  return { investor, potential, proposal };
}

describe('the review queue on DynamoDB Local', () => {
  it('lets exactly one of eight officers racing for a claim win, and records only the winner', async () => {
    const { system, review } = await setup({ withList: false });
    const opened = await openTestCase(system);
    const officers = Array.from({ length: 8 }, (_, index) => officer(`racer-${index}`));
    const outcomes = await Promise.allSettled(officers.map((candidate) => claimCase(review, opened.caseId, candidate)));

    const winners = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    expect(winners).toHaveLength(1);
    for (const outcome of outcomes) if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(ConflictError);
    const stored = (await system.cases.get(opened.caseId))!;
    expect(stored).toMatchObject({ status: 'claimed', assignee: winners[0]!.assignee, version: 2 });
    const claims = (await records(system, `case#${opened.caseId}`)).filter((record) => record.type === 'case.claimed');
    expect(claims.map((record) => record.actor)).toEqual([`compliance-officer:${winners[0]!.assignee}`]);
  });

  it('hands officers pulling the next case at once different cases, past-SLA first, never one case twice', async () => {
    const start = Date.parse('2030-01-01T00:00:00Z');
    let now = new Date(start);
    const { system, review } = await setup({ withList: false, now: () => now });
    const riskTag = `race-${ulid()}`;
    // Distinct keys, each opened at its own time: the oldest is past the 24-hour SLA when the officers pull.
    const opened: Case[] = [];
    for (const hoursAgo of [30, 2, 1]) {
      now = new Date(start - hoursAgo * 3_600_000);
      const { case: created } = await openCase(
        { cases: system.cases, audit: system.audit, now: () => now },
        { type: 'kyc_conflict', key: `kyc_conflict|${riskTag}|${hoursAgo}`, investorId: riskTag, risk: 'low', evidence: {} },
        'system:test',
      );
      opened.push(created);
    }
    now = new Date(start);
    const officers = Array.from({ length: 5 }, (_, index) => officer(`puller-${index}`));
    const pulled = await Promise.all(officers.map((candidate) => claimNextCase(review, { type: 'kyc_conflict', risk: 'low' }, candidate)));

    const won = pulled.filter((view) => view !== undefined);
    expect(won).toHaveLength(3);
    expect(new Set(won.map((view) => view.caseId))).toEqual(new Set(opened.map((created) => created.caseId)));
    expect(new Set(won.map((view) => view.assignee)).size).toBe(3);

    const listed = await listCases(review, parseCaseList({ investorId: riskTag, status: 'claimed' }));
    expect(listed.map((summary) => summary.caseId)).toEqual(opened.map((created) => created.caseId));
    expect(listed.map((summary) => summary.pastSla)).toEqual([true, false, false]);
    expect(listed[0]!.ageHours).toBe(30);
    expect(listed[0]).not.toHaveProperty('evidence');
  });

  it('lets a lapsed claim be taken over, and a live one not', async () => {
    let now = new Date('2030-02-01T09:00:00Z');
    const { system, review } = await setup({ withList: false, now: () => now });
    const opened = await openTestCase(system);
    await claimCase(review, opened.caseId, alice);
    now = new Date('2030-02-01T09:20:00Z');
    await expect(claimCase(review, opened.caseId, bob)).rejects.toThrow(/claimed by another officer until 2030-02-01T09:30:00.000Z/);
    await expect(releaseCase(review, opened.caseId, bob)).rejects.toBeInstanceOf(ConflictError);

    now = new Date('2030-02-01T09:31:00Z');
    const taken = await claimCase(review, opened.caseId, bob);
    expect(taken).toMatchObject({ status: 'claimed', assignee: 'officer-bob', leaseActive: true });
    await expect(decideCase(review, opened.caseId, { disposition: 'false_positive', reason: 'fixed' }, alice)).rejects.toThrow(/claimed by another officer/);
    const released = await releaseCase(review, opened.caseId, bob);
    expect(released).toMatchObject({ status: 'open', version: 4 });
    expect(released).not.toHaveProperty('assignee');
    const types = (await records(system, `case#${opened.caseId}`)).map((record) => `${record.type} ${record.actor}`);
    expect(types).toEqual([
      'case.opened system:test',
      'case.claimed compliance-officer:officer-alice',
      'case.claimed compliance-officer:officer-bob',
      'case.released compliance-officer:officer-bob',
    ]);
    expect((await records(system, `case#${opened.caseId}`))[2]!.data).toMatchObject({ lapsedClaimOf: 'officer-alice' });
  });

  it('refuses to decide an unclaimed case (409), without a reason (422) or twice, and changes nothing', async () => {
    const { system, review } = await setup({ withList: false });
    const opened = await openTestCase(system);
    const before = (await records(system, `case#${opened.caseId}`)).length;

    await expect(decideCase(review, opened.caseId, { disposition: 'false_positive', reason: 'looks fine' }, alice)).rejects.toThrow(/claim it before deciding/);
    await claimCase(review, opened.caseId, alice);
    const claimed = (await system.cases.get(opened.caseId))!;
    for (const reason of [undefined, '', '   ']) {
      const refused = decideCase(review, opened.caseId, { disposition: 'false_positive', ...(reason === undefined ? {} : { reason }) }, alice);
      await expect(refused).rejects.toBeInstanceOf(UnprocessableDecisionError);
      await expect(refused).rejects.toMatchObject({ issues: [{ field: 'reason' }] });
    }
    await expect(decideCase(review, opened.caseId, { disposition: 'true_match', reason: 'a drift is not a sanctions match' }, alice)).rejects.toMatchObject({
      issues: [{ field: 'disposition' }],
    });
    await expect(decideCase(review, opened.caseId, { disposition: 'dismiss', reason: 'x' }, alice)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await system.cases.get(opened.caseId)).toEqual(claimed);
    expect(await records(system, `case#${opened.caseId}`)).toHaveLength(before + 1);

    // A drift needs no second officer: it closes at once, and a second decision is refused.
    const closed = await decideCase(review, opened.caseId, { disposition: 'false_positive', reason: 'the worker re-sent the registration' }, alice);
    expect(closed).toMatchObject({
      status: 'closed',
      resolution: { disposition: 'false_positive', by: 'officer-alice', reason: 'the worker re-sent the registration' },
    });
    await expect(decideCase(review, opened.caseId, { disposition: 'escalate', reason: 'again' }, alice)).rejects.toThrow(/already decided/);
  });

  it('lets exactly one of two racing decisions on a case win', async () => {
    const { system, review } = await setup({ withList: false });
    const opened = await openTestCase(system);
    await claimCase(review, opened.caseId, alice);
    const outcomes = await Promise.allSettled([
      decideCase(review, opened.caseId, { disposition: 'needs_info', reason: 'ask the chain team' }, alice),
      decideCase(review, opened.caseId, { disposition: 'escalate', reason: 'looks systemic' }, alice),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.find((outcome) => outcome.status === 'rejected')?.reason).toBeInstanceOf(ConflictError);
    const decided = (await records(system, `case#${opened.caseId}`)).filter((record) => record.type === 'case.needs_info' || record.type === 'case.escalated');
    expect(decided).toHaveLength(1);
    expect((await system.cases.get(opened.caseId))!.status).toBe(decided[0]!.type === 'case.needs_info' ? 'needs_info' : 'open');
  });

  it('parks a case that needs information (claimable again) and escalates one to high risk for a senior', async () => {
    const { system, review } = await setup({ withList: false });
    const parked = await openTestCase(system, { risk: 'low' });
    await claimCase(review, parked.caseId, alice);
    expect(await decideCase(review, parked.caseId, { disposition: 'needs_info', reason: 'waiting for the registry owner' }, alice)).toMatchObject({
      status: 'needs_info',
      needsInfo: { by: 'officer-alice' },
      pastSla: false,
    });
    expect(await claimCase(review, parked.caseId, bob)).toMatchObject({ status: 'claimed', assignee: 'officer-bob' });

    const escalated = await openTestCase(system, { risk: 'low' });
    await claimCase(review, escalated.caseId, alice);
    expect(await decideCase(review, escalated.caseId, { disposition: 'escalate', reason: 'beyond my mandate' }, alice)).toMatchObject({
      status: 'open',
      risk: 'high',
      escalation: { by: 'officer-alice', reason: 'beyond my mandate' },
    });
    expect((await records(system, `case#${escalated.caseId}`)).at(-1)).toMatchObject({
      type: 'case.escalated',
      data: { fromRisk: 'low', reason: 'beyond my mandate' },
    });
  });

  it('records every view of a case with the officer, and the change a crash left unrecorded before anything else', async () => {
    const { system, review } = await setup({ withList: false });
    const opened = await openTestCase(system);
    // As if the officer's claim was saved and the process died before appending its record.
    const pendingAudit = {
      stream: `case#${opened.caseId}`,
      type: 'case.claimed',
      actor: alice.actor,
      data: { caseId: opened.caseId },
      idempotencyKey: `case#${opened.caseId}:v2`,
    };
    await documentClient().send(
      new PutCommand({ TableName: system.env.CASES_TABLE, Item: { ...opened, status: 'claimed', assignee: alice.subject, version: 2, pendingAudit } }),
    );

    const shown = await showCase(review, opened.caseId, bob);
    expect(shown.evidence).toEqual({ wallet: '0xabc' });
    expect(shown).not.toHaveProperty('pendingAudit');
    await showCase(review, opened.caseId, alice);
    const types = (await records(system, `case#${opened.caseId}`)).map((record) => `${record.type} ${record.actor}`);
    expect(types).toEqual([
      'case.opened system:test',
      'case.claimed compliance-officer:officer-alice',
      'case.viewed compliance-officer:officer-bob',
      'case.viewed compliance-officer:officer-alice',
    ]);
  });
});

describe('four-eyes decisions and their effects, with the real engine and list', () => {
  it('clears a potential match only once a second officer approves: the investor becomes eligible and joins every registry', async () => {
    const { system, screening, review } = await setup();
    const investor = await screenedInvestor(system, screening, maduro);
    expect(investor.status).toBe('screened');
    const potential = await onlyCaseOf(system, investor.investorId, 'potential_match');
    await drain(system.allowlistQueue);

    await claimCase(review, potential.caseId, alice);
    const proposed = await decideCase(review, potential.caseId, { disposition: 'false_positive', reason: 'different person: passport seen, born 1985' }, alice);
    expect(proposed).toMatchObject({ status: 'pending_approval', proposal: { disposition: 'false_positive', by: 'officer-alice' } });
    expect((await system.investors.get(investor.investorId))!.status).toBe('screened');

    const beforeSelf = (await system.cases.get(potential.caseId))!;
    await expect(approveCase(review, potential.caseId, {}, alice)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(rejectProposal(review, potential.caseId, { reason: 'second thoughts' }, alice)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await system.cases.get(potential.caseId)).toEqual(beforeSelf);
    expect((await system.investors.get(investor.investorId))!.status).toBe('screened');

    const approved = await approveCase(review, potential.caseId, { note: 'agree' }, bob);
    expect(approved).toMatchObject({
      status: 'closed',
      effectsPending: false,
      resolution: {
        disposition: 'false_positive',
        by: 'officer-alice',
        approvedBy: 'officer-bob',
        approvalNote: 'agree',
        effects: { investorStatus: 'eligible' },
      },
    });
    expect((await system.investors.get(investor.investorId))!.status).toBe('eligible');
    const requests = await drain(system.allowlistQueue);
    expect(requests.map((request) => `${request.action} ${request.chainId} ${request.wallet}`).sort()).toEqual(
      REGISTRIES.map((registry) => `add ${registry.chainId} ${investor.wallets[0]}`).sort(),
    );

    const caseTrail = (await records(system, `case#${potential.caseId}`)).map((record) => `${record.type} ${record.actor}`);
    expect(caseTrail).toEqual([
      'case.opened system:screening-worker',
      'case.claimed compliance-officer:officer-alice',
      'case.decision_proposed compliance-officer:officer-alice',
      'case.approved compliance-officer:officer-bob',
      'case.effects_applied compliance-officer:officer-bob',
    ]);
    const investorTrail = await records(system, `investor#${investor.investorId}`);
    expect(investorTrail.at(-1)).toMatchObject({
      type: 'investor.eligible',
      actor: 'compliance-officer:officer-bob',
      data: { caseId: potential.caseId, from: 'screened', to: 'eligible' },
    });
    expect(JSON.stringify(caseTrail) + JSON.stringify(investorTrail.map((record) => record.data))).not.toMatch(/Maduro|1962-11-23/);
  });

  it('lets an operator reinstate an investor whose only hit officers cleared, and not one with an uncleared hit', async () => {
    const context = await setup();
    const { system } = context;
    const { investor, potential } = await proposed(context, 'false_positive', 'different person: passport seen');
    await approveCase(context.review, potential.caseId, {}, bob);
    const lifecycle = {
      ...context.review.effects,
      screening: new SqsScreeningRequests(sqsClient(), system.screeningQueue),
      screeningStanding: (subject: Investor) => screeningStanding(system).standing(subject),
    };
    await suspendInvestor(lifecycle, investor.investorId, 'dispute', 'operator:ops');
    // The latest screening's raw verdict is still `review`: only the cleared view lets the operator lift the suspension.
    expect((await system.screenings.latest(investor.investorId))!.verdict).toBe('review');
    const reinstated = await reinstateInvestor(lifecycle, investor.investorId, 'operator:ops');
    expect(reinstated).toMatchObject({ status: 'eligible' });
    // Asked again (a lost answer, a crash before the adds): the adds are requested again, nothing else changes.
    expect(await reinstateInvestor(lifecycle, investor.investorId, 'operator:ops')).toEqual(reinstated);
    expect((await system.investors.get(investor.investorId))!.version).toBe(reinstated.version);

    const uncleared = await screenedInvestor(system, context.screening, { ...maduro, externalId: `ext-${ulid()}` });
    await expect(reinstateInvestor(lifecycle, uncleared.investorId, 'operator:ops')).rejects.toBeInstanceOf(ConflictError);
    const kycApproved = {
      ...uncleared,
      status: 'suspended' as const,
      version: uncleared.version + 1,
      suspension: { kind: 'operator' as const, reason: 'dispute', at: new Date().toISOString() },
    };
    await system.investors.save(kycApproved);
    await expect(reinstateInvestor(lifecycle, uncleared.investorId, 'operator:ops')).rejects.toThrow(/screening is not clear/);
  });

  it('keeps an investor whose KYC approval expired meanwhile screened when their potential match is cleared', async () => {
    const context = await setup();
    const { investor, potential } = await proposed(context, 'false_positive', 'different person');
    const current = (await context.system.investors.get(investor.investorId))!;
    await context.system.investors.save({
      ...current,
      version: current.version + 1,
      kyc: { ...current.kyc!, expiresAt: new Date(Date.now() - 60_000).toISOString() },
    });
    const approved = await approveCase(context.review, potential.caseId, {}, bob);
    expect(approved.resolution?.effects).toMatchObject({ investorStatus: 'screened', summary: expect.stringMatching(/expired/) });
    expect((await context.system.investors.get(investor.investorId))!.status).toBe('screened');
  });

  it('lets exactly one of two officers racing to approve win, and applies the effects once; a retry after a crash completes without doubling', async () => {
    const context = await setup();
    const { system, review } = context;
    const { investor, potential } = await proposed(context, 'false_positive', 'different person');
    await drain(system.allowlistQueue);

    const outcomes = await Promise.allSettled([approveCase(review, potential.caseId, {}, bob), approveCase(review, potential.caseId, {}, officer('carol'))]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.find((outcome) => outcome.status === 'rejected')?.reason).toBeInstanceOf(ConflictError);
    const eligibleRecords = () => records(system, `investor#${investor.investorId}`).then((all) => all.filter((record) => record.type === 'investor.eligible'));
    expect(await eligibleRecords()).toHaveLength(1);
    expect(await drain(system.allowlistQueue)).toHaveLength(REGISTRIES.length);

    // A crash after the effects but before they were recorded on the case: approving again resumes, nothing doubles.
    const closed = (await system.cases.get(potential.caseId))!;
    const interrupted: Case = { ...closed, resolution: { ...closed.resolution!, effects: undefined }, version: closed.version + 1, pendingAudit: undefined };
    await system.cases.save(interrupted);
    expect(await showCase(review, potential.caseId, alice)).toMatchObject({ effectsPending: true });
    const resumed = await approveCase(review, potential.caseId, {}, bob);
    expect(resumed).toMatchObject({ effectsPending: false, resolution: { effects: { investorStatus: 'eligible' } } });
    await applyCaseEffects(review.effects, resumed as unknown as Case, bob.actor);
    expect(await eligibleRecords()).toHaveLength(1);
    expect((await system.investors.get(investor.investorId))!.version).toBe(investor.version + 1);
    await expect(approveCase(review, potential.caseId, {}, bob)).rejects.toThrow(/already closed/);
  });

  it('sends a rejected proposal back to the queue with the reason', async () => {
    const context = await setup();
    const { system, review } = context;
    const { investor, potential } = await proposed(context, 'false_positive', 'different person');
    await expect(rejectProposal(review, potential.caseId, {}, bob)).rejects.toBeInstanceOf(UnprocessableDecisionError);
    const rejected = await rejectProposal(review, potential.caseId, { reason: 'the date of birth matches exactly: get the passport' }, bob);
    expect(rejected).toMatchObject({ status: 'open', rejection: { disposition: 'false_positive', by: 'officer-bob' } });
    expect(rejected).not.toHaveProperty('proposal');
    expect((await system.investors.get(investor.investorId))!.status).toBe('screened');
  });

  it('blocks on a confirmed true match: suspended for good, every wallet frozen and removed, report due in 10 business days', async () => {
    const context = await setup();
    const { system, screening, review } = context;
    const wallets = ['0x00000000000000000000000000000000000000a1', '0x00000000000000000000000000000000000000a2'];
    const { investor, potential } = await proposed(context, 'true_match', 'passport and date of birth match the listing', { ...maduro, wallets });
    await drain(system.allowlistQueue);
    expect((await system.investors.get(investor.investorId))!.status).toBe('screened');

    const approved = await approveCase(review, potential.caseId, {}, bob);
    const reportDueBy = blockedPropertyReportDueBy(new Date(approved.resolution!.approvedAt!));
    expect(approved.resolution!.effects).toMatchObject({ investorStatus: 'suspended', reportDueBy });
    const blocked = (await system.investors.get(investor.investorId))!;
    expect(blocked).toMatchObject({ status: 'suspended', suspension: { kind: 'sanctions', confirmedMatchCaseId: potential.caseId } });
    const requests = await drain(system.allowlistQueue);
    expect(requests.map((request) => `${request.action} ${request.chainId} ${request.wallet}`).sort()).toEqual(
      REGISTRIES.flatMap((registry) =>
        investor.wallets.flatMap((wallet) => [`freeze ${registry.chainId} ${wallet}`, `remove ${registry.chainId} ${wallet}`]),
      ).sort(),
    );
    expect((await records(system, `investor#${investor.investorId}`)).at(-1)).toMatchObject({
      type: 'investor.blocked',
      actor: bob.actor,
      data: { caseId: potential.caseId, sdnId: 22790, reportDueBy, wallets: investor.wallets },
    });

    // A later re-screen raises nothing new and lifts nothing.
    await screenInvestor(screening, investor.investorId, { reason: 'list changed' });
    expect((await system.investors.get(investor.investorId))!.status).toBe('suspended');
    expect(await system.cases.find({ statuses: ['open'], investorId: investor.investorId }, 10)).toEqual([]);
  });

  it('lifts a wallet hit cleared by two officers: unfrozen, eligible again, and not re-raised by the next screening', async () => {
    const { system, screening, review } = await setup();
    const investor = await screenedInvestor(system, screening, { wallets: [listedEth.address] });
    expect(investor).toMatchObject({ status: 'suspended', suspension: { kind: 'sanctions' } });
    const hit = await onlyCaseOf(system, investor.investorId, 'wallet_hit');
    await drain(system.allowlistQueue);

    await claimCase(review, hit.caseId, alice);
    await decideCase(
      review,
      hit.caseId,
      { disposition: 'false_positive', reason: 'the listing names a deposit address of an exchange, not the investor' },
      alice,
    );
    expect((await system.investors.get(investor.investorId))!.status).toBe('suspended');
    await approveCase(review, hit.caseId, {}, bob);

    const lifted = (await system.investors.get(investor.investorId))!;
    expect(lifted.status).toBe('eligible');
    expect(lifted).not.toHaveProperty('suspension');
    const requests = await drain(system.allowlistQueue);
    expect(requests.map((request) => `${request.action} ${request.chainId}`).sort()).toEqual(
      REGISTRIES.flatMap((registry) => [`add ${registry.chainId}`, `unfreeze ${registry.chainId}`]).sort(),
    );
    expect((await records(system, `investor#${investor.investorId}`)).at(-1)).toMatchObject({
      type: 'investor.sanctions_suspension_lifted',
      actor: bob.actor,
      data: { caseId: hit.caseId },
    });

    const after = await screenInvestor(screening, investor.investorId, { reason: 'list changed' });
    expect(after.status).toBe('eligible');
    expect(await system.cases.find({ statuses: ['open'], investorId: investor.investorId }, 10)).toEqual([]);
  });
});

describe('suppression of cleared false positives, with the real engine', () => {
  async function clearedOnOldList() {
    const context = await setup({ listDir: LIST_2023_12_28 });
    const { system, review } = context;
    // Listed on both lists under the same name and date of birth; the entry changed between them.
    const { investor, potential: first } = await proposed(context, 'false_positive', 'a namesake', {
      legalName: 'Armando VALENCIA CORNELIO',
      dateOfBirth: '1954-06-15',
      countryOfResidence: 'MX',
    });
    await approveCase(review, first.caseId, {}, bob);
    expect((await system.investors.get(investor.investorId))!.status).toBe('eligible');
    return { ...context, investor, first };
  }

  it('does not raise a cleared hit again on the next list while the investor data and the entry are unchanged', async () => {
    const context = await setup({ listDir: LIST_2023_12_28 });
    const { system, screening, review } = context;
    // 22790 is the same entry on both lists.
    const { investor, potential: first } = await proposed(context, 'false_positive', 'a namesake');
    await approveCase(review, first.caseId, {}, bob);
    await drain(system.allowlistQueue);

    const refreshed = await refreshSanctionsList({ ...system, actor: 'system:test' }, new FolderListSource(LIST_2024_05_03));
    const again = await screenInvestor(screening, investor.investorId, { reason: 'list changed', listVersion: refreshed.version.id });
    expect(again.status).toBe('eligible');
    const rescreen = (await system.screenings.latest(investor.investorId))!;
    expect(rescreen).toMatchObject({ listVersion: refreshed.version.id, verdict: 'review', matches: [expect.objectContaining({ sdnId: 22790 })] });
    expect(await system.cases.find({ statuses: ['open'], investorId: investor.investorId }, 10)).toEqual([]);
    expect((await system.cases.get(first.caseId))!.status).toBe('closed');
    // Nothing leaves the allowlist; the add it asks for again is the one already queued (same investor version), which FIFO de-duplication drops.
    expect(await drain(system.allowlistQueue)).toEqual([]);

    // Re-approved by KYC after an expiry, the investor is screened from scratch: the cleared hit does not hold them back again.
    let current = (await system.investors.get(investor.investorId))!;
    for (const step of ['kyc_retry', 'kyc_approved'] as const) {
      current = transition(current, step, new Date());
      await system.investors.save(current);
    }
    expect((await screenInvestor(screening, investor.investorId, { reason: 'kyc approved' })).status).toBe('eligible');
    expect((await records(system, `investor#${investor.investorId}`)).at(-1)).toMatchObject({
      type: 'investor.eligible',
      actor: 'system:screening-worker',
      data: { clearedCaseIds: [first.caseId] },
    });
  });

  it('raises it again, as a new case, when the list entry changes', async () => {
    const { system, screening, investor, first } = await clearedOnOldList();
    const refreshed = await refreshSanctionsList({ ...system, actor: 'system:test' }, new FolderListSource(LIST_2024_05_03));
    await screenInvestor(screening, investor.investorId, { reason: 'list changed', listVersion: refreshed.version.id });
    const raised = await onlyCaseOf(system, investor.investorId, 'potential_match');
    expect(raised.caseId).not.toBe(first.caseId);
    expect(raised.evidence).toMatchObject({ listVersion: refreshed.version.id, entry: { sdnId: 8242 } });
    expect(raised.key).toBe(first.key.replace(/\|[^|]*$/, `|${(raised.evidence.entry as { entryHash: string }).entryHash}`));
  });

  it('raises it again when the investor data changes', async () => {
    const { system, screening, review, investor, first } = await clearedOnOldList();
    await addWallet(
      { ...review.effects, screening: new SqsScreeningRequests(sqsClient(), system.screeningQueue) },
      investor.investorId,
      '0x00000000000000000000000000000000000000b7',
      'portal:test',
    );
    await screenInvestor(screening, investor.investorId, { reason: 'wallet added' });
    const raised = await onlyCaseOf(system, investor.investorId, 'potential_match');
    expect(raised.caseId).not.toBe(first.caseId);
    expect((raised.evidence.screened as { wallets: string[] }).wallets).toContain('0x00000000000000000000000000000000000000b7');
  });
});
