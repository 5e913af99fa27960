import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Wallet } from 'ethers';
import type { Page } from 'playwright-core';
import { blockedPropertyReportDueBy } from '../../lambda/modules/cases/business-days';
import type { CaseSummary, CaseView } from '../../lambda/modules/cases';
import { runCliAsync } from '../helpers/cli';
import { launchConsoleBrowser, screenshot, seriousViolations, signIn, waitForText, type ConsoleBrowser } from '../helpers/console-browser';
import { api, eventually, registerWithKyc, runningSystem } from '../helpers/e2e-system';

/**
 * The officers' and auditors' console in headless Chromium against the local runner: every step a
 * person takes through the screens, checked against the API and the chains, each page checked with
 * axe-core and photographed (test-output/console).
 */
const system = runningSystem();
jest.setTimeout(180_000);

function as(subject: string) {
  const token = system.tokens.find((candidate) => candidate.subject === subject)!.token;
  return (method: string, route: string, body?: unknown) => api(system, method, route, { body, headers: { authorization: `Bearer ${token}` } });
}
const alice = as('officer-alice');
const bob = as('officer-bob');

/** A KYC-approved investor whose name is on the list: screening holds them with one potential-match case. */
async function listedInvestor(): Promise<{ investorId: string; wallet: string; caseId: string }> {
  const wallet = Wallet.createRandom().address.toLowerCase();
  const { investorId } = await registerWithKyc(system, {
    externalId: `console-${wallet}`,
    legalName: 'Nicolás Maduro Moros',
    dateOfBirth: '1962-11-23',
    countryOfResidence: 'VE',
    wallets: [wallet],
  });
  const [found] = await eventually(async () => {
    const listed = (await alice('GET', `/cases?investorId=${investorId}&type=potential_match`)).body.cases as CaseSummary[];
    return listed.length > 0 ? listed : undefined;
  });
  await eventually(async () => (await api(system, 'GET', `/investors/${investorId}`, { role: 'operator' })).body.status === 'screened');
  return { investorId, wallet, caseId: found!.caseId };
}

async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousViolations(page)).toEqual([]);
}

const caseUrl = (caseId: string) => `${system.consoleUrl}/#/cases/${caseId}`;
const investorUrl = (investorId: string) => `${system.consoleUrl}/#/investors/${investorId}`;

async function claimAndDecide(page: Page, caseId: string, disposition: RegExp, reason: string): Promise<void> {
  await page.goto(caseUrl(caseId));
  await page.getByRole('button', { name: 'Claim', exact: true }).click();
  await waitForText(page.getByTestId('case-status'), 'Claimed');
  await page.getByRole('radio', { name: disposition }).check();
  await page.getByLabel('Reason (required)').fill(reason);
  await page.getByRole('button', { name: 'Submit decision' }).click();
  await page.getByTestId('case-status').filter({ hasText: 'Pending approval' }).waitFor();
}

/** Each chain's cell of the wallet in the investor page's wallet table. */
const chainCells = (page: Page, wallet: string) => system.chains.map((chain) => page.getByTestId(`wallet-${wallet}-${chain.chainId}`));

let browser: ConsoleBrowser;
beforeAll(async () => {
  browser = await launchConsoleBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("the API's CORS for the console", () => {
  const preflight = (origin: string) =>
    fetch(`${system.apiUrl}/cases/some-case/claim`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });

  it("answers preflights and requests from the console's origin, and from no other", async () => {
    const allowed = await preflight(system.consoleUrl);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(system.consoleUrl);
    expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
    expect(allowed.headers.get('access-control-allow-headers')).toBe('authorization,content-type');
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const read = await fetch(`${system.apiUrl}/cases`, {
      headers: { origin: system.consoleUrl, authorization: `Bearer ${system.tokens.find((t) => t.role === 'auditor')!.token}` },
    });
    expect([read.status, read.headers.get('access-control-allow-origin')]).toEqual([200, system.consoleUrl]);
  });
});

describe('the console in a browser', () => {
  it('signs in with a dev identity, by keyboard, and shows who is signed in and their role', async () => {
    const page = await browser.page();
    await page.goto(system.consoleUrl);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expectAccessible(page);
    await screenshot(page, '01-sign-in');
    await page.getByRole('button', { name: /Sign in as officer-alice\b/ }).focus();
    await page.keyboard.press('Enter');
    await waitForText(page.getByTestId('signed-in-subject'), 'officer-alice');
    await waitForText(page.getByTestId('signed-in-role'), 'Compliance officer');
    expect(page.url()).toMatch(/#\/queue$/);
    await page.close();
  });

  it('alice claims a potential match and proposes a false positive; she cannot approve it; bob approves; the wallet is verified on every chain', async () => {
    const { investorId, wallet, caseId } = await listedInvestor();
    const page = await browser.page();
    await signIn(page, system, 'officer-alice');

    // The queue: the case is there, with its type, risk, SLA flag and investor; counts per status.
    await page.getByLabel('Type', { exact: true }).selectOption('potential_match');
    const row = page.locator(`tr[data-case-id="${caseId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toMatch(/Potential match.*(High|Medium).*within.*Open/);
    await waitForText(page.getByTestId('count-open').locator('.count-value'), /^[1-9]\d*$/);
    await expectAccessible(page);

    // The case: what was screened beside the listed entry, the tokens that matched, the score and list version.
    await row.getByRole('link', { name: caseId }).click();
    await page.getByTestId('listed').getByText('Cedula No. 5892464', { exact: false }).waitFor();
    const screened = page.getByTestId('screened');
    expect(await screened.locator('mark').allTextContents()).toEqual(['Nicolás', 'Maduro', 'Moros']);
    expect(await page.getByTestId('listed').locator('dd').allTextContents()).toEqual(
      expect.arrayContaining(['22790', 'VENEZUELA, IRAN-CON-ARMS-EO', '23 Nov 1962', 'Caracas, Capital District, Venezuela']),
    );
    expect(await page.getByTestId('matched-field').textContent()).toBe('name');
    expect(Number(await page.getByTestId('match-score').textContent())).toBeGreaterThanOrEqual(0.84);
    expect(await page.getByTestId('list-version').textContent()).toMatch(/^ofac-sdn:2024-05-03:/);
    await page.getByTestId('case-history').getByText('compliance-officer:officer-alice').first().waitFor();
    await expectAccessible(page);
    await screenshot(page, '03-case');

    // A decision needs a written reason: refused in the page, nothing sent.
    await page.getByRole('button', { name: 'Claim', exact: true }).click();
    await waitForText(page.getByTestId('case-status'), 'Claimed');
    await page.getByRole('radio', { name: /^False positive/ }).check();
    await page.getByRole('button', { name: 'Submit decision' }).click();
    await page.getByRole('alert').filter({ hasText: 'Write a reason' }).waitFor();
    expect((await alice('GET', `/cases/${caseId}`)).body.status).toBe('claimed');
    await page.getByLabel('Reason (required)').fill('Different person: passport and date of birth checked');
    await page.getByRole('button', { name: 'Submit decision' }).click();
    await waitForText(page.getByTestId('case-status'), 'Pending approval');

    // Four-eyes: the proposer is told she cannot approve, and is offered no way to.
    await page.getByTestId('own-proposal').waitFor();
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, '04-case-pending-approval');

    const second = await browser.page();
    await signIn(second, system, 'officer-bob');
    await second.goto(caseUrl(caseId));
    await waitForText(second.getByTestId('proposed-disposition'), 'False positive');
    await second.getByLabel('Approval note (optional)').fill('agreed');
    await second.getByRole('button', { name: 'Approve' }).click();
    await waitForText(second.getByTestId('case-status'), 'Closed');
    await waitForText(second.getByTestId('effects-summary'), /eligible/);
    await second.getByTestId('case-history').getByText('compliance-officer:officer-bob').first().waitFor();

    // The investor: allowlisted, the wallet registered and verified on every chain, read from the chains.
    await second.getByRole('link', { name: investorId }).click();
    await waitForText(second.getByTestId('investor-status'), 'allowlisted');
    for (const cell of chainCells(second, wallet)) await waitForText(cell, /^registered · verified · not frozen$/);
    await waitForText(second.getByTestId('chain-progress'), `Allowlisted on ${system.chains.length} of ${system.chains.length} chains`);
    await second.getByTestId('kyc-history').getByText('investor.kyc_approved').waitFor();
    await second.getByTestId('screenings').getByText('SDN 22790', { exact: false }).waitFor();
    await expectAccessible(second);
    await screenshot(second, '05-investor');
    expect((await api(system, 'GET', `/investors/${investorId}`, { role: 'operator' })).body.status).toBe('allowlisted');
    await Promise.all([page.close(), second.close()]);
  });

  it('a true match by two officers: the wallet frozen on every chain, never verified, and the report deadline shown', async () => {
    const { investorId, wallet, caseId } = await listedInvestor();
    const page = await browser.page();
    await signIn(page, system, 'officer-alice');
    await claimAndDecide(page, caseId, /^True match/, 'Passport and date of birth match the listing');

    const second = await browser.page();
    await signIn(second, system, 'officer-bob');
    await second.goto(caseUrl(caseId));
    await second.getByRole('button', { name: 'Approve' }).click();
    await waitForText(second.getByTestId('resolution-disposition'), 'True match');
    const closed = (await bob('GET', `/cases/${caseId}`)).body as unknown as CaseView;
    const reportDueBy = blockedPropertyReportDueBy(new Date(closed.resolution!.approvedAt!));
    await waitForText(second.getByTestId('report-due'), new RegExp(`report due by ${reportDueBy}`));
    await expectAccessible(second);
    await screenshot(second, '06-case-true-match');

    await second.goto(investorUrl(investorId));
    await waitForText(second.getByTestId('investor-status'), 'suspended');
    for (const cell of chainCells(second, wallet)) await waitForText(cell, /^not registered · not verified · frozen$/);
    await screenshot(second, '07-investor-blocked');
    await Promise.all([page.close(), second.close()]);
  });

  it('someone else acting first is a clear message and a reload, and the decision typed is never lost', async () => {
    const { caseId } = await listedInvestor();
    const page = await browser.page();
    await signIn(page, system, 'officer-alice');
    await page.goto(caseUrl(caseId));
    await waitForText(page.getByTestId('case-status'), 'Open');

    // Bob claims while alice looks at the open case: her claim is refused, the page shows his.
    expect((await bob('POST', `/cases/${caseId}/claim`)).status).toBe(200);
    await page.getByRole('button', { name: 'Claim', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'Someone else changed this first' }).waitFor();
    await waitForText(page.getByTestId('claimed-by-other'), /Claimed by officer-bob/);
    expect(await page.getByRole('button', { name: 'Claim', exact: true }).count()).toBe(0);

    // Alice holds it and writes her decision; meanwhile the claim moves to bob (she released it elsewhere).
    expect((await bob('POST', `/cases/${caseId}/release`)).status).toBe(200);
    await page.reload();
    await page.getByRole('button', { name: 'Claim', exact: true }).click();
    await waitForText(page.getByTestId('case-status'), 'Claimed');
    await page.getByRole('radio', { name: /^Needs information/ }).check();
    const reason = 'Asked the portal for a certified passport copy';
    await page.getByLabel('Reason (required)').fill(reason);
    expect((await alice('POST', `/cases/${caseId}/release`)).status).toBe(200);
    expect((await bob('POST', `/cases/${caseId}/claim`)).status).toBe(200);
    await page.getByRole('button', { name: 'Submit decision' }).click();
    await page.getByRole('alert').filter({ hasText: 'Someone else changed this first' }).waitFor();
    await waitForText(page.getByTestId('claimed-by-other'), /Claimed by officer-bob/);
    await waitForText(page.getByTestId('kept-reason'), reason);
    await expectAccessible(page);
    await screenshot(page, '08-case-conflict');

    // Kept across a reload, and back in the form once she holds the case again.
    await page.reload();
    await waitForText(page.getByTestId('kept-reason'), reason);
    expect((await bob('POST', `/cases/${caseId}/release`)).status).toBe(200);
    await page.reload();
    await page.getByRole('button', { name: 'Claim', exact: true }).click();
    expect(await page.getByLabel('Reason (required)').inputValue()).toBe(reason);
    expect(await page.getByRole('radio', { name: /^Needs information/ }).isChecked()).toBe(true);
    await page.close();
  });

  it('the queue filters, counts per status and refreshes itself without a page reload', async () => {
    const page = await browser.page();
    await signIn(page, system, 'officer-alice');
    const first = await listedInvestor();
    await alice('POST', `/cases/${first.caseId}/claim`);
    await page.getByLabel('Assignee').fill('officer-alice');
    await page.getByLabel('Status', { exact: true }).selectOption('claimed');
    await page.locator(`tr[data-case-id="${first.caseId}"]`).waitFor();
    for (const text of await page.locator('table.queue tbody tr').allTextContents()) expect(text).toMatch(/Claimed.*officer-alice/);
    await page.getByLabel('Past SLA only').check();
    await page.getByText('No case matches these filters.').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();

    // A case opened while the page is on screen appears by itself.
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => navigations.push(frame.url()));
    const later = await listedInvestor();
    await page.locator(`tr[data-case-id="${later.caseId}"]`).waitFor({ timeout: 30_000 });
    expect(navigations).toEqual([]);
    await expectAccessible(page);
    await screenshot(page, '02-queue');
    await page.close();
  });

  it('an auditor browses and verifies a stream, and downloads an export that `cli audit verify-export` accepts', async () => {
    const wallet = Wallet.createRandom().address.toLowerCase();
    const { investorId } = await registerWithKyc(system, {
      externalId: `console-audit-${wallet}`,
      legalName: 'Jane Auditable',
      dateOfBirth: '1981-02-03',
      countryOfResidence: 'US',
      wallets: [wallet],
    });
    await eventually(async () => (await api(system, 'GET', `/investors/${investorId}`, { role: 'operator' })).body.status === 'allowlisted', 40_000);
    const page = await browser.page();
    await signIn(page, system, 'auditor-carol');
    await waitForText(page.getByTestId('signed-in-role'), 'Auditor');
    await page.getByRole('link', { name: 'Audit trail' }).click();

    await page.getByLabel('Look up by').selectOption('stream');
    await page.getByLabel('Value').fill(`investor#${investorId}`);
    await page.getByRole('button', { name: 'Show records' }).click();
    await page.getByTestId('audit-records').getByText('investor.allowlisted').first().waitFor();

    await page.getByLabel('Stream (empty: the whole trail)').fill(`investor#${investorId}`);
    await page.getByRole('button', { name: 'Run verification' }).click();
    await waitForText(page.getByTestId('verify-result'), /^Verified: \d+ records in 1 stream, .*no break/);

    await page.getByRole('button', { name: 'Export these records' }).click();
    await page.getByTestId('export-ready').waitFor();
    await page.getByRole('button', { name: 'Get the public key' }).click();
    await expectAccessible(page);
    await screenshot(page, '09-audit');

    const folder = mkdtempSync(path.join(tmpdir(), 'tc-console-export-'));
    const save = async (link: string, name: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: link }).click()]);
      const file = path.join(folder, name);
      await download.saveAs(file);
      return file;
    };
    const trail = await save('Download the records (trail.jsonl)', 'trail.jsonl');
    const manifest = await save('Download the signed manifest', 'trail.jsonl.manifest.json');
    const key = await save('Download the public key (audit-key.pem)', 'audit-key.pem');
    expect(readFileSync(trail, 'utf8')).toContain(`"stream":"investor#${investorId}"`);
    const verified = await runCliAsync(['audit', 'verify-export', trail, '--manifest', manifest, '--public-key', key]);
    expect([verified.status, verified.stderr]).toEqual([0, '']);

    // The same export, one byte changed, is refused: the downloads are the signed export, not a lookalike.
    writeFileSync(trail, readFileSync(trail, 'utf8').replace('investor.registered', 'investor.registereD'));
    expect((await runCliAsync(['audit', 'verify-export', trail, '--manifest', manifest, '--public-key', key])).status).toBe(1);
    await page.close();
  });

  it('auditors read cases without actions; an operator sees investors and no case actions', async () => {
    const { investorId, caseId } = await listedInvestor();
    const auditor = await browser.page();
    await signIn(auditor, system, 'auditor-carol');
    await auditor.goto(caseUrl(caseId));
    await auditor.getByTestId('no-case-actions').waitFor();
    expect(await auditor.getByRole('button', { name: /Claim|Approve|Release/ }).count()).toBe(0);
    await expectAccessible(auditor);

    const page = await browser.page();
    await signIn(page, system, 'operator-dave');
    await waitForText(page.getByTestId('signed-in-role'), 'Operator');
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Investors']);
    await page.getByLabel('Investor id').fill(investorId);
    await page.getByRole('button', { name: 'Open' }).click();
    await waitForText(page.getByTestId('investor-status'), 'screened');
    await page.getByTestId('wallet-states').waitFor();
    // Screened, not eligible: no chain has the wallet and none is on its way.
    expect(await page.getByTestId('chain-progress').textContent()).toMatch(/^Allowlisted on 0 of [1-9]\d* chains \([^)]*: not registered\)$/);
    expect(await page.getByRole('heading', { name: 'Open cases' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Claim|Approve|Reject|Release|Submit decision/ }).count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, '10-investor-operator');

    await page.goto(caseUrl(caseId));
    await page.getByRole('heading', { name: 'Not available to your role' }).waitFor();
    expect(await page.getByRole('button', { name: /Claim|Approve/ }).count()).toBe(0);
    // The API refuses all the same.
    expect((await api(system, 'POST', `/cases/${caseId}/claim`, { role: 'operator' })).status).toBe(403);
    await Promise.all([auditor.close(), page.close()]);
  });
});
