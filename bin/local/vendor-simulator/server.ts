import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sumsubRequestHeaders } from '../../../lambda/modules/kyc/adapters';
import type { KycVerdict, KycVendor } from '../../../lambda/shared';
import { signWebhook } from '../../../lambda/modules/kyc';
import { kycPayload } from './payloads';

/** Local credentials of the simulated vendors: printed by `npm start`, never used anywhere real. */
export interface SimulatorCredentials {
  readonly webhookSecrets: Readonly<Record<KycVendor, string>>;
  readonly sumsub: { readonly appToken: string; readonly secretKey: string };
  readonly onfido: { readonly apiToken: string };
}

export interface SimulatedPerson {
  readonly firstName: string;
  readonly lastName: string;
  readonly dateOfBirth: string;
  readonly country: string;
}

export interface Decision {
  readonly vendor: KycVendor;
  readonly applicantId: string;
  readonly verdict: KycVerdict;
  readonly externalReference?: string;
  readonly person?: SimulatedPerson;
  /** The vendor's event time (default now): lets tests send verdicts out of order. */
  readonly at?: Date;
}

interface Applicant {
  readonly applicantId: string;
  readonly externalReference?: string;
  readonly person: SimulatedPerson;
  readonly runs: Set<string>;
}

const DEFAULT_PERSON: SimulatedPerson = { firstName: 'Jane', lastName: 'Doe', dateOfBirth: '1980-01-31', country: 'US' };
const ALPHA3: Readonly<Record<string, string>> = { US: 'USA', GB: 'GBR', DE: 'DEU', FR: 'FRA', CH: 'CHE', SG: 'SGP', JP: 'JPN' };

/** How each vendor expresses our verdicts in its webhooks. */
function payloadFor(decision: Decision, person: SimulatedPerson, runId: string): unknown {
  const common = { applicantId: decision.applicantId, externalReference: decision.externalReference, at: decision.at ?? new Date(), person };
  switch (decision.vendor) {
    case 'sumsub': {
      if (decision.verdict === 'pending') return kycPayload.sumsub({ ...common, type: 'applicantPending' });
      if (decision.verdict === 'review') return kycPayload.sumsub({ ...common, type: 'applicantOnHold' });
      const reviewResult =
        decision.verdict === 'approved'
          ? { reviewAnswer: 'GREEN' }
          : { reviewAnswer: 'RED', reviewRejectType: decision.verdict === 'retry' ? 'RETRY' : 'FINAL', rejectLabels: ['SIMULATED'] };
      return kycPayload.sumsub({ ...common, reviewResult });
    }
    case 'onfido':
      return kycPayload.onfido({
        ...common,
        runId,
        status: { approved: 'approved', rejected: 'declined', review: 'review', abandoned: 'abandoned' }[decision.verdict as string] ?? 'error',
      });
    case 'persona':
      return kycPayload.persona({
        ...common,
        eventId: `evt_${runId}`,
        name:
          { approved: 'inquiry.approved', rejected: 'inquiry.declined', review: 'inquiry.marked-for-review' }[decision.verdict as string] ?? 'inquiry.expired',
      });
    case 'veriff':
      return kycPayload.veriff({
        ...common,
        status:
          { approved: 'approved', rejected: 'declined', retry: 'resubmission_requested', expired: 'expired', abandoned: 'abandoned', review: 'review' }[
            decision.verdict as string
          ] ?? 'review',
      });
    case 'standard-webhooks':
      return kycPayload['standard-webhooks']({ ...common, status: decision.verdict });
  }
}

/**
 * Stands in for the KYC vendors locally: serves Sumsub's and Onfido's applicant APIs (checking the
 * credentials the way they do) and delivers webhooks signed exactly as each vendor signs them.
 */
export class VendorSimulator {
  private readonly applicants = new Map<string, Applicant>();
  private readonly runs = new Map<string, string>();
  private server: Server | undefined;
  private sequence = 0;
  url = '';

  constructor(
    private readonly credentials: SimulatorCredentials,
    /** Where webhooks go: `<API>/webhooks/kyc`; the vendor name is appended. Set once the API listens. */
    public webhookBaseUrl: string,
  ) {}

  async start(port = 0): Promise<string> {
    this.server = createServer((request, response) => {
      this.route(request, response).catch(() => reply(response, 500, { error: 'simulator failure' }));
    });
    await new Promise<void>((resolve, reject) => this.server!.once('error', reject).listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** Base URLs our vendor API adapters use to reach this simulator. */
  apiBaseUrls(): { sumsub: string; onfido: string } {
    return { sumsub: `${this.url}/sumsub`, onfido: `${this.url}/onfido/v3.6` };
  }

  /**
   * The vendor knows these applicants (and Onfido these workflow runs of theirs) without delivering anything: a load
   * generator that signs its own deliveries needs the applicant API to answer for them.
   */
  enroll(applicants: readonly (Omit<Applicant, 'runs' | 'person'> & { vendor: KycVendor; person?: SimulatedPerson; runs?: readonly string[] })[]): void {
    for (const { vendor, runs = [], ...applicant } of applicants) {
      const key = `${vendor}:${applicant.applicantId}`;
      const known = this.applicants.get(key);
      const entry = { ...applicant, person: applicant.person ?? known?.person ?? DEFAULT_PERSON, runs: known?.runs ?? new Set<string>() };
      for (const run of runs) {
        entry.runs.add(run);
        this.runs.set(run, applicant.applicantId);
      }
      this.applicants.set(key, entry);
    }
  }

  /** The vendor decides: remembers the applicant for its API and delivers the signed webhook. */
  async decide(decision: Decision): Promise<{ status: number; body: string }> {
    const key = `${decision.vendor}:${decision.applicantId}`;
    const existing = this.applicants.get(key);
    const applicant: Applicant = {
      applicantId: decision.applicantId,
      externalReference: decision.externalReference ?? existing?.externalReference,
      person: decision.person ?? existing?.person ?? DEFAULT_PERSON,
      runs: existing?.runs ?? new Set(),
    };
    this.applicants.set(key, applicant);
    const runId = `wfr_${++this.sequence}_${Date.now()}`;
    applicant.runs.add(runId);
    this.runs.set(runId, decision.applicantId);

    const rawBody = Buffer.from(JSON.stringify(payloadFor(decision, applicant.person, runId)));
    const headers = signWebhook(decision.vendor, rawBody, this.credentials.webhookSecrets[decision.vendor], { now: new Date(), id: `msg_${runId}` });
    const response = await fetch(`${this.webhookBaseUrl}/${decision.vendor}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: rawBody,
    });
    return { status: response.status, body: await response.text() };
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (request.method === 'POST' && path === '/_simulator/decide') {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const decision = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Decision & { at?: string };
      const delivered = await this.decide({ ...decision, at: decision.at ? new Date(decision.at) : undefined });
      return reply(response, 200, { delivered });
    }
    if (request.method === 'POST' && path === '/_simulator/applicants') {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const applicants = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Parameters<VendorSimulator['enroll']>[0];
      this.enroll(applicants);
      return reply(response, 200, { enrolled: applicants.length });
    }
    if (request.method !== 'GET') return reply(response, 405, { error: 'method not allowed' });

    const sumsub = /^\/sumsub(\/resources\/applicants\/([^/]+)\/one)$/.exec(path);
    if (sumsub) {
      if (!this.sumsubSignatureValid(request, sumsub[1]!)) return reply(response, 401, { description: 'Invalid signature', code: 401 });
      const applicant = this.applicants.get(`sumsub:${decodeURIComponent(sumsub[2]!)}`);
      if (!applicant) return reply(response, 404, { description: 'Applicant not found', code: 404 });
      const { person } = applicant;
      return reply(response, 200, {
        id: applicant.applicantId,
        externalUserId: applicant.externalReference,
        info: { firstName: person.firstName, lastName: person.lastName, dob: person.dateOfBirth, country: ALPHA3[person.country] ?? person.country },
        type: 'individual',
      });
    }

    const onfido = /^\/onfido\/v3\.6\/(workflow_runs|applicants|checks)\/([^/]+)$/.exec(path);
    if (onfido) {
      if (request.headers.authorization !== `Token token=${this.credentials.onfido.apiToken}`)
        return reply(response, 401, { error: { type: 'authorization_error' } });
      const [, resource, id] = onfido as unknown as [string, string, string];
      const applicantId = resource === 'applicants' ? decodeURIComponent(id) : this.runs.get(decodeURIComponent(id));
      const applicant = applicantId ? this.applicants.get(`onfido:${applicantId}`) : undefined;
      if (!applicant) return reply(response, 404, { error: { type: 'resource_not_found' } });
      if (resource === 'workflow_runs') return reply(response, 200, { id, applicant_id: applicant.applicantId, status: 'approved' });
      if (resource === 'checks') return reply(response, 200, { id, applicant_id: applicant.applicantId, status: 'complete', result: 'clear' });
      const { person } = applicant;
      return reply(response, 200, {
        id: applicant.applicantId,
        first_name: person.firstName,
        last_name: person.lastName,
        dob: person.dateOfBirth,
        location: { country_of_residence: ALPHA3[person.country] ?? person.country },
      });
    }
    return reply(response, 404, { error: 'not found' });
  }

  private sumsubSignatureValid(request: IncomingMessage, signedPath: string): boolean {
    const ts = Number(request.headers['x-app-access-ts']);
    if (!Number.isFinite(ts) || Math.abs(Date.now() / 1000 - ts) > 60) return false;
    const expected = sumsubRequestHeaders(this.credentials.sumsub, 'GET', signedPath, '', new Date(ts * 1000));
    return request.headers['x-app-token'] === expected['x-app-token'] && request.headers['x-app-access-sig'] === expected['x-app-access-sig'];
  }
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
