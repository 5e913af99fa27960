/**
 * The system's shape in one place: tables, queues, buckets, functions, routes and the
 * environment variables that connect them. The CDK stack (lib/), the local runner (bin/local.ts)
 * and the handlers all read this module, so a name can never differ between AWS and the laptop.
 *
 * Plain data only: no AWS SDK or CDK imports, so handlers can import it without bloating bundles.
 */

export type KeyType = 'S' | 'N';

export interface KeySpec {
  readonly name: string;
  readonly type: KeyType;
}

export interface IndexSpec {
  readonly name: string;
  readonly partitionKey: KeySpec;
  readonly sortKey?: KeySpec;
}

export interface TableSpec {
  readonly envVar: string;
  readonly partitionKey: KeySpec;
  readonly sortKey?: KeySpec;
  readonly indexes?: readonly IndexSpec[];
  readonly timeToLiveAttribute?: string;
  /** Insert-only tables (the audit log): IAM never grants update or delete on them. */
  readonly insertOnly?: boolean;
}

export interface QueueSpec {
  readonly envVar: string;
  readonly fifo: boolean;
  readonly visibilityTimeoutSeconds: number;
  /** Deliveries before a message moves to the queue's dead-letter queue. */
  readonly maxReceiveCount: number;
  /** Records per invocation of the consuming function. */
  readonly batchSize: number;
  /** Alarm when the oldest message has waited longer than this: the consumer is stuck or failing. */
  readonly oldestMessageAlarmSeconds?: number;
  /** Environment variable holding the dead-letter queue's URL: for functions that list it in `deadLetters`, and for `cli dlq`. */
  readonly deadLetterEnvVar: string;
}

export interface BucketSpec {
  readonly envVar: string;
  /** S3 Object Lock on AWS: every object version is kept, unchangeable, for the retention period. */
  readonly objectLock?: { readonly mode: 'compliance' | 'governance'; readonly retentionYears: number };
}

/** Bucket access levels; tables also have `count` (atomic counter updates: dynamodb:UpdateItem only). */
export type BucketAccess = 'read' | 'write' | 'readWrite' | 'append';
export type Access = BucketAccess | 'count';

export interface KmsKeySpec {
  /** Environment variable holding the key id on AWS. */
  readonly envVar: string;
  readonly keySpec: 'ECC_SECG_P256K1' | 'ECC_NIST_P256';
  /** Local runs: environment variable holding the local key material that stands in for the KMS key. */
  readonly localEnvVar: string;
}

export interface SecretSpec {
  /** Environment variable holding the Secrets Manager ARN on AWS. */
  readonly envVar: string;
  /** Local runs: environment variable holding the secret's JSON value itself (local config). */
  readonly localEnvVar: string;
  readonly description: string;
}

export interface FunctionSpec {
  /** Path of the handler module, relative to the repository root. */
  readonly entry: string;
  readonly description: string;
  readonly memorySize: number;
  readonly timeoutSeconds: number;
  readonly tables?: Partial<Record<TableName, Access>>;
  readonly sendsTo?: readonly QueueName[];
  /** The queue whose messages invoke this function. */
  readonly consumes?: QueueName;
  /** Dead-letter queues the function sends to itself (failures with their reason). */
  readonly deadLetters?: readonly QueueName[];
  readonly buckets?: Partial<Record<BucketName, BucketAccess>>;
  /** Needs the chain configuration (registry addresses). */
  readonly readsChains?: boolean;
  /** Needs the chain configuration and a transaction signer. */
  readonly signsTransactions?: boolean;
  /** KMS keys the function signs with (kms:Sign and kms:GetPublicKey on that key only). */
  readonly kmsKeys?: readonly KmsKeyName[];
  /** Secrets the function reads (secretsmanager:GetSecretValue on that secret only). */
  readonly secrets?: readonly SecretName[];
  /** EventBridge schedule expression, e.g. `rate(1 hour)`, for functions that run on a timer. */
  readonly schedule?: string;
  /** Non-secret settings the function reads (see SETTINGS). */
  readonly settings?: readonly SettingName[];
  /** Optional variables the function reads when they are set (see OPTIONAL_ENV); unset, it uses their default. */
  readonly optional?: readonly OptionalEnvName[];
}

export const ROLES = ['portal', 'compliance-officer', 'auditor', 'operator', 'emergency-responder'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Roles held by machines, not people: the fund's portal signs in with OAuth client credentials
 * (no MFA to answer) and gets the scope `<API_SCOPE_SERVER>/<role>`. People hold roles as groups.
 */
export const MACHINE_ROLES: readonly Role[] = ['portal'];
export const API_SCOPE_SERVER = 'treasury-compliance';

/**
 * CORS of the HTTP API for the officers' console, on AWS (the console's CloudFront origin) and
 * locally (the runner's console server): what a browser may send and how long it may cache the answer.
 */
export const CONSOLE_CORS = {
  allowMethods: ['GET', 'POST', 'PUT', 'DELETE'],
  allowHeaders: ['authorization', 'content-type'],
  maxAgeSeconds: 3600,
} as const;

export interface RouteSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** API Gateway route path, with `{param}` placeholders. */
  readonly path: string;
  readonly function: FunctionName;
  /** Roles (Cognito groups) allowed to call the route; `public` routes authenticate otherwise (signatures). */
  readonly auth: 'public' | readonly Role[];
}

export const TABLES = {
  investors: {
    envVar: 'INVESTORS_TABLE',
    partitionKey: { name: 'pk', type: 'S' },
  },
  screenings: {
    envVar: 'SCREENINGS_TABLE',
    partitionKey: { name: 'investorId', type: 'S' },
    /** `<list version>#<hash of the screened data>`: one result per investor, list version and data. */
    sortKey: { name: 'screeningKey', type: 'S' },
  },
  listVersions: {
    envVar: 'LIST_VERSIONS_TABLE',
    /** A version id (`<list>:<date>:<hash>`), or a list's pointer screening follows: `current` (SDN), `current#ofac-cons`. */
    partitionKey: { name: 'versionId', type: 'S' },
  },
  kycEvents: {
    envVar: 'KYC_EVENTS_TABLE',
    partitionKey: { name: 'eventKey', type: 'S' },
  },
  cases: {
    envVar: 'CASES_TABLE',
    partitionKey: { name: 'caseId', type: 'S' },
    // The review queue: cases of one status, oldest first.
    indexes: [{ name: 'byStatus', partitionKey: { name: 'status', type: 'S' }, sortKey: { name: 'openedAt', type: 'S' } }],
  },
  audit: {
    envVar: 'AUDIT_TABLE',
    partitionKey: { name: 'stream', type: 'S' },
    sortKey: { name: 'seq', type: 'N' },
    insertOnly: true,
    // Sparse indexes for auditors' queries: records carry day/investorId/type, wallet references carry wallet.
    indexes: [
      { name: 'byDay', partitionKey: { name: 'day', type: 'S' }, sortKey: { name: 'at', type: 'S' } },
      { name: 'byInvestor', partitionKey: { name: 'investorId', type: 'S' }, sortKey: { name: 'at', type: 'S' } },
      { name: 'byType', partitionKey: { name: 'type', type: 'S' }, sortKey: { name: 'at', type: 'S' } },
      { name: 'byWallet', partitionKey: { name: 'wallet', type: 'S' }, sortKey: { name: 'at', type: 'S' } },
    ],
  },
  /**
   * Refused webhooks counted per vendor, reason and hour (`counter`: `<hour>#<vendor>#<reason>`),
   * instead of an audit record per refusal; kept about 13 months (TTL).
   */
  webhookRefusals: {
    envVar: 'WEBHOOK_REFUSALS_TABLE',
    partitionKey: { name: 'day', type: 'S' },
    sortKey: { name: 'counter', type: 'S' },
    timeToLiveAttribute: 'expiresAt',
  },
  /** The allowlist worker's journal: pending changes, one item per transaction nonce, writer leases. */
  allowlistJournal: {
    envVar: 'ALLOWLIST_JOURNAL_TABLE',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
  },
  /** Token controls: the pause state (`control`) and each pause / unpause operation (`op#<id>`) with its outcome per chain. */
  tokenOperations: {
    envVar: 'TOKEN_OPERATIONS_TABLE',
    partitionKey: { name: 'pk', type: 'S' },
  },
} as const satisfies Record<string, TableSpec>;
export type TableName = keyof typeof TABLES;

export const QUEUES = {
  screening: {
    envVar: 'SCREENING_QUEUE_URL',
    fifo: false,
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 5,
    batchSize: 10,
    deadLetterEnvVar: 'SCREENING_DLQ_URL',
  },
  allowlist: {
    envVar: 'ALLOWLIST_QUEUE_URL',
    fifo: true,
    visibilityTimeoutSeconds: 120,
    maxReceiveCount: 5,
    batchSize: 10,
    // An investor waits on this queue to hold tokens; a few confirmations take minutes, not a quarter hour.
    oldestMessageAlarmSeconds: 900,
    deadLetterEnvVar: 'ALLOWLIST_DLQ_URL',
  },
  /** Verified, stored KYC webhook events, handed from the webhook (which answers fast) to the worker. */
  kyc: {
    envVar: 'KYC_QUEUE_URL',
    fifo: false,
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 5,
    batchSize: 10,
    deadLetterEnvVar: 'KYC_DLQ_URL',
  },
  /** Token operations to execute, one message per operation and chain (group = `token:<chainId>`). */
  token: {
    envVar: 'TOKEN_QUEUE_URL',
    fifo: true,
    // Just above the worker's timeout: a record that failed its attempts comes back soon.
    visibilityTimeoutSeconds: 70,
    maxReceiveCount: 5,
    batchSize: 10,
    // A pause that has not reached a chain within two minutes is an incident of its own.
    oldestMessageAlarmSeconds: 120,
    deadLetterEnvVar: 'TOKEN_DLQ_URL',
  },
} as const satisfies Record<string, QueueSpec>;
export type QueueName = keyof typeof QUEUES;

export const BUCKETS = {
  listSnapshots: { envVar: 'LIST_SNAPSHOTS_BUCKET' },
  /** Signed audit checkpoints, write-once for ten years. */
  auditCheckpoints: { envVar: 'AUDIT_CHECKPOINTS_BUCKET', objectLock: { mode: 'compliance', retentionYears: 10 } },
  /** Large audit exports, fetched through presigned links. */
  auditExports: { envVar: 'AUDIT_EXPORTS_BUCKET' },
} as const satisfies Record<string, BucketSpec>;
export type BucketName = keyof typeof BUCKETS;

export const KMS_KEYS = {
  /** The allowlist agent's Ethereum key: secp256k1, signs registry and token transactions. */
  allowlistSigner: { envVar: 'ALLOWLIST_SIGNER_KMS_KEY_ID', keySpec: 'ECC_SECG_P256K1', localEnvVar: 'ALLOWLIST_SIGNER_PRIVATE_KEY' },
  /** Signs the investors' KYC claims (ONCHAINID, EIP-191 over keccak(identity, topic, data)): a CLAIM key of our ClaimIssuer. */
  claimSigner: { envVar: 'CLAIM_SIGNER_KMS_KEY_ID', keySpec: 'ECC_SECG_P256K1', localEnvVar: 'CLAIM_SIGNER_PRIVATE_KEY' },
  /** The token agent's Ethereum key: secp256k1, agent on the token only (pause, unpause); its own nonces. */
  tokenSigner: { envVar: 'TOKEN_SIGNER_KMS_KEY_ID', keySpec: 'ECC_SECG_P256K1', localEnvVar: 'TOKEN_SIGNER_PRIVATE_KEY' },
  /** Signs audit checkpoints and export manifests. */
  auditSigner: { envVar: 'AUDIT_SIGNER_KMS_KEY_ID', keySpec: 'ECC_NIST_P256', localEnvVar: 'AUDIT_SIGNER_PRIVATE_KEY' },
} as const satisfies Record<string, KmsKeySpec>;
export type KmsKeyName = keyof typeof KMS_KEYS;

export const SECRETS = {
  kycWebhookSecrets: {
    envVar: 'KYC_WEBHOOK_SECRETS_ARN',
    localEnvVar: 'KYC_WEBHOOK_SECRETS',
    description:
      'KYC vendors\' webhook signing secrets: {"<vendor>": ["<secret>", ...]}, several per vendor during rotation; Sumsub may be {"secrets": [...], "algorithm": "HMAC_SHA512_HEX"}',
  },
  kycVendorApi: {
    envVar: 'KYC_VENDOR_API_ARN',
    localEnvVar: 'KYC_VENDOR_API',
    description: 'KYC vendors\' API credentials for applicant data: {"sumsub": {"appToken", "secretKey", "baseUrl"?}, "onfido": {"apiToken", "baseUrl"?}}',
  },
  chainRpcUrls: {
    envVar: 'CHAIN_RPC_URLS_ARN',
    localEnvVar: 'CHAIN_RPC_URLS',
    description: 'RPC URLs by chain id: {"<chainId>": "https://..."}; they often embed provider API keys',
  },
} as const satisfies Record<string, SecretSpec>;
export type SecretName = keyof typeof SECRETS;

export interface SettingSpec {
  readonly envVar: string;
  /** Used when a deployment (`-c <name>=...`) or the local runner does not set it. */
  readonly default: string;
  readonly description: string;
}

/** Non-secret configuration a deployment may set; each function reads only those it declares. */
export const SETTINGS = {
  blockedCountries: {
    envVar: 'BLOCKED_COUNTRIES',
    // The countries under OFAC's comprehensive embargoes; a fund adds its own restrictions.
    default: 'CU,IR,KP,SY',
    description: 'ISO 3166-1 alpha-2 codes, comma-separated: residents and nationals are not onboarded',
  },
  kycValidityDays: {
    envVar: 'KYC_VALIDITY_DAYS',
    default: '365',
    description: 'days a KYC approval stays valid before the investor must pass KYC again',
  },
  caseSlaHours: {
    envVar: 'CASE_SLA_HOURS',
    default: '24',
    description: 'hours a case may wait (open, claimed or awaiting approval) before it is flagged and listed first',
  },
  screenedLists: {
    envVar: 'SCREENED_LISTS',
    default: 'ofac-sdn,ofac-cons',
    description: "sanctions lists screened against, comma-separated: ofac-sdn (required) and ofac-cons (OFAC's consolidated non-SDN lists)",
  },
  listOutcomes: {
    envVar: 'LIST_OUTCOMES',
    // A name is never proof of identity; an SDN wallet is blocked property; a non-SDN listing restricts, it never blocks.
    default: 'ofac-sdn:name=review,wallet=block;ofac-cons:name=review,wallet=review',
    description: 'what a hit does, per list: `<list>:name=<review>,wallet=<review|block>;...`; names always go to review, and only SDN wallets may block',
  },
} as const satisfies Record<string, SettingSpec>;
export type SettingName = keyof typeof SETTINGS;

/** Variables a function reads only when a deployment, the local runner or a test sets them. */
export const OPTIONAL_ENV = {
  /** Seconds a record may take to land after its time before a checkpoint covers it (default 300). */
  auditSettleSeconds: 'AUDIT_SETTLE_SECONDS',
  /** Where the list refresh fetches from (default: OFAC's Sanctions List Service, SDN_ADVANCED.XML). */
  sanctionsSourceUrl: 'SANCTIONS_SOURCE_URL',
  /** Local runs and tests: a folder with OFAC's files to load instead of fetching. */
  sanctionsSourceDir: 'SANCTIONS_SOURCE_DIR',
  /** Where the consolidated non-SDN lists come from (default: OFAC's Sanctions List Service, CONS_ADVANCED.XML). */
  nonSdnSourceUrl: 'NON_SDN_SOURCE_URL',
  /** Local runs and tests: a folder with the consolidated non-SDN files (cons_prim.csv, ...). */
  nonSdnSourceDir: 'NON_SDN_SOURCE_DIR',
} as const;
export type OptionalEnvName = keyof typeof OPTIONAL_ENV;

export const FUNCTIONS = {
  investorsApi: {
    entry: 'lambda/functions/investors-api/index.ts',
    description: 'Fund portal and operators: register investors, their KYC applicant and wallets; suspend, reinstate, offboard',
    memorySize: 512,
    timeoutSeconds: 10,
    // screenings and cases: reinstatement needs a clear screening, hits officers cleared set aside;
    // the console reads an investor's screenings and KYC history (the audit trail) here too.
    tables: { investors: 'readWrite', screenings: 'read', cases: 'read', audit: 'append' },
    sendsTo: ['screening', 'allowlist'],
    readsChains: true,
    // The console shows each wallet's state on every chain: read-only calls to the registries and tokens.
    secrets: ['chainRpcUrls'],
    settings: ['blockedCountries'],
  },
  kycWebhook: {
    entry: 'lambda/functions/kyc-webhook/index.ts',
    description: "KYC vendors' webhooks: signature on the raw body, replay window, schema, stored once, handed to the KYC worker",
    memorySize: 512,
    // Vendors give us five seconds; the webhook only verifies, stores and hands over.
    timeoutSeconds: 5,
    // Refusals are counted (UpdateItem only), not audited; the receipt's audit record is the worker's.
    tables: { kycEvents: 'readWrite', webhookRefusals: 'count' },
    sendsTo: ['kyc'],
    secrets: ['kycWebhookSecrets'],
  },
  kycWorker: {
    entry: 'lambda/functions/kyc-worker/index.ts',
    description: "Applies stored KYC verdicts to the investor lifecycle, in the vendor's order",
    memorySize: 512,
    timeoutSeconds: 30,
    consumes: 'kyc',
    tables: { kycEvents: 'readWrite', investors: 'readWrite', cases: 'readWrite', audit: 'append' },
    sendsTo: ['screening', 'allowlist'],
    readsChains: true,
    secrets: ['kycVendorApi'],
    settings: ['kycValidityDays'],
  },
  kycExpiry: {
    entry: 'lambda/functions/kyc-expiry/index.ts',
    description: 'Daily re-KYC sweep: approvals past their validity are revoked until the investor passes KYC again',
    memorySize: 512,
    timeoutSeconds: 300,
    schedule: 'rate(1 day)',
    tables: { investors: 'readWrite', audit: 'append' },
    sendsTo: ['allowlist'],
    readsChains: true,
  },
  screeningWorker: {
    entry: 'lambda/functions/screening-worker/index.ts',
    description: 'Screens investors against the sanctions lists (SDN and consolidated non-SDN) and routes the outcome',
    memorySize: 1024,
    timeoutSeconds: 50,
    consumes: 'screening',
    tables: { investors: 'readWrite', screenings: 'readWrite', listVersions: 'read', cases: 'readWrite', audit: 'append' },
    buckets: { listSnapshots: 'read' },
    sendsTo: ['allowlist'],
    readsChains: true,
    settings: ['screenedLists', 'listOutcomes'],
  },
  sanctionsRefresh: {
    entry: 'lambda/functions/sanctions-refresh/index.ts',
    description:
      "Fetches OFAC's SDN list and consolidated non-SDN lists, records each new version with its diff and snapshot, and queues the book for re-screening",
    // SDN_ADVANCED.XML is over 100 MB: held once as bytes, parsed as a stream.
    memorySize: 3008,
    timeoutSeconds: 600,
    tables: { listVersions: 'readWrite', investors: 'read', audit: 'append' },
    buckets: { listSnapshots: 'readWrite' },
    sendsTo: ['screening'],
    schedule: 'rate(1 hour)',
    settings: ['screenedLists'],
    optional: ['sanctionsSourceUrl', 'sanctionsSourceDir', 'nonSdnSourceUrl', 'nonSdnSourceDir'],
  },
  allowlistWorker: {
    entry: 'lambda/functions/allowlist-worker/index.ts',
    description: 'Applies allowlist changes to the ERC-3643 identity registry',
    memorySize: 512,
    timeoutSeconds: 100,
    consumes: 'allowlist',
    // tokenOperations: while the token is paused, adds and unfreezes wait (the pipeline hold).
    tables: { investors: 'readWrite', audit: 'append', allowlistJournal: 'readWrite', tokenOperations: 'read' },
    // Its own flush requests travel the allowlist queue; permanent failures go to the DLQ with a reason.
    sendsTo: ['allowlist'],
    deadLetters: ['allowlist'],
    signsTransactions: true,
    kmsKeys: ['allowlistSigner', 'claimSigner'],
    secrets: ['chainRpcUrls'],
  },
  allowlistReconciler: {
    entry: 'lambda/functions/allowlist-reconciler/index.ts',
    description: 'Compares the ERC-3643 registries with the investors and opens a case for any drift',
    memorySize: 512,
    timeoutSeconds: 300,
    schedule: 'rate(1 hour)',
    tables: { investors: 'read', cases: 'readWrite', audit: 'append', allowlistJournal: 'readWrite' },
    // Registries with changes still pending get a flush request, so nothing waits for new traffic.
    sendsTo: ['allowlist'],
    readsChains: true,
    secrets: ['chainRpcUrls'],
  },
  casesApi: {
    entry: 'lambda/functions/cases-api/index.ts',
    description:
      "Compliance officers' review queue: list, claim, decide and (four-eyes) approve cases, their history and the listed entries behind them; the approved decision's effects on the investor",
    // The listed entry behind a hit is read from its list version's snapshot, which stays loaded.
    memorySize: 1024,
    timeoutSeconds: 15,
    tables: { cases: 'readWrite', investors: 'readWrite', screenings: 'read', audit: 'append', listVersions: 'read' },
    buckets: { listSnapshots: 'read' },
    sendsTo: ['allowlist'],
    readsChains: true,
    settings: ['caseSlaHours'],
  },
  auditApi: {
    entry: 'lambda/functions/audit-api/index.ts',
    description: 'Auditors: query, export (with a signed manifest) and verify the audit trail; read-only',
    memorySize: 1024,
    timeoutSeconds: 29,
    tables: { audit: 'read', webhookRefusals: 'read' },
    buckets: { auditCheckpoints: 'read', auditExports: 'readWrite' },
    kmsKeys: ['auditSigner'],
  },
  auditCheckpoint: {
    entry: 'lambda/functions/audit-checkpoint/index.ts',
    description: 'Seals the audit records since the last checkpoint under a signed Merkle root',
    memorySize: 1024,
    timeoutSeconds: 300,
    tables: { audit: 'append' },
    buckets: { auditCheckpoints: 'append' },
    kmsKeys: ['auditSigner'],
    schedule: 'rate(15 minutes)',
    optional: ['auditSettleSeconds'],
  },
  tokenApi: {
    entry: 'lambda/functions/token-api/index.ts',
    description: 'Emergency controls of the ERC-3643 token: pause on every chain at once, four-eyes unpause, status per chain',
    memorySize: 512,
    timeoutSeconds: 15,
    tables: { tokenOperations: 'readWrite', audit: 'append' },
    sendsTo: ['token'],
    readsChains: true,
    // The status reads each chain's token (paused or not), read-only.
    secrets: ['chainRpcUrls'],
  },
  tokenWorker: {
    entry: 'lambda/functions/token-worker/index.ts',
    description: "Executes token operations (pause, unpause) on each chain, journaled before broadcast with the allowlist worker's machinery",
    memorySize: 512,
    timeoutSeconds: 60,
    consumes: 'token',
    // allowlistJournal: its nonce slots live in the allowlist journal (its own signer, its own nonces).
    tables: { tokenOperations: 'readWrite', audit: 'append', allowlistJournal: 'readWrite' },
    // After an unpause, the registry's waiting adds and unfreezes are flushed.
    sendsTo: ['allowlist'],
    signsTransactions: true,
    kmsKeys: ['tokenSigner'],
    secrets: ['chainRpcUrls'],
  },
} as const satisfies Record<string, FunctionSpec>;
export type FunctionName = keyof typeof FUNCTIONS;

export const ROUTES: readonly RouteSpec[] = [
  { method: 'POST', path: '/investors', function: 'investorsApi', auth: ['portal', 'operator'] },
  { method: 'GET', path: '/investors/{investorId}', function: 'investorsApi', auth: ['portal', 'operator', 'compliance-officer'] },
  { method: 'PUT', path: '/investors/{investorId}/kyc', function: 'investorsApi', auth: ['portal', 'operator'] },
  { method: 'POST', path: '/investors/{investorId}/wallets', function: 'investorsApi', auth: ['portal', 'operator'] },
  { method: 'DELETE', path: '/investors/{investorId}/wallets/{wallet}', function: 'investorsApi', auth: ['portal', 'operator'] },
  { method: 'POST', path: '/investors/{investorId}/suspend', function: 'investorsApi', auth: ['operator'] },
  { method: 'POST', path: '/investors/{investorId}/reinstate', function: 'investorsApi', auth: ['operator'] },
  { method: 'POST', path: '/investors/{investorId}/offboard', function: 'investorsApi', auth: ['operator'] },
  // What the console shows of an investor: KYC history (from the audit trail), screenings per list version, wallets on every chain.
  { method: 'GET', path: '/investors/{investorId}/kyc', function: 'investorsApi', auth: ['operator', 'compliance-officer'] },
  { method: 'GET', path: '/investors/{investorId}/screenings', function: 'investorsApi', auth: ['operator', 'compliance-officer'] },
  { method: 'GET', path: '/investors/{investorId}/wallets', function: 'investorsApi', auth: ['operator', 'compliance-officer'] },
  // Vendors authenticate by their signature on the body, not by a token.
  { method: 'POST', path: '/webhooks/kyc/{vendor}', function: 'kycWebhook', auth: 'public' },
  { method: 'GET', path: '/audit/records', function: 'auditApi', auth: ['auditor'] },
  { method: 'POST', path: '/audit/exports', function: 'auditApi', auth: ['auditor'] },
  { method: 'GET', path: '/audit/verify', function: 'auditApi', auth: ['auditor'] },
  { method: 'GET', path: '/audit/public-key', function: 'auditApi', auth: ['auditor'] },
  // Refused webhooks, counted per vendor, reason and hour (not audit records).
  { method: 'GET', path: '/audit/webhook-refusals', function: 'auditApi', auth: ['auditor'] },
  // Auditors read cases (every view is recorded); only officers change them.
  { method: 'GET', path: '/cases', function: 'casesApi', auth: ['compliance-officer', 'auditor'] },
  { method: 'GET', path: '/cases/{caseId}', function: 'casesApi', auth: ['compliance-officer', 'auditor'] },
  { method: 'GET', path: '/cases/{caseId}/history', function: 'casesApi', auth: ['compliance-officer', 'auditor'] },
  // The listed entry a case's hit is about, as its list version published it.
  { method: 'GET', path: '/lists/{listVersion}/entries/{sdnId}', function: 'casesApi', auth: ['compliance-officer', 'auditor'] },
  { method: 'POST', path: '/cases/claim-next', function: 'casesApi', auth: ['compliance-officer'] },
  { method: 'POST', path: '/cases/{caseId}/claim', function: 'casesApi', auth: ['compliance-officer'] },
  { method: 'POST', path: '/cases/{caseId}/release', function: 'casesApi', auth: ['compliance-officer'] },
  { method: 'POST', path: '/cases/{caseId}/decision', function: 'casesApi', auth: ['compliance-officer'] },
  { method: 'POST', path: '/cases/{caseId}/approve', function: 'casesApi', auth: ['compliance-officer'] },
  { method: 'POST', path: '/cases/{caseId}/reject', function: 'casesApi', auth: ['compliance-officer'] },
  // Emergency controls: a responder pauses alone (speed matters in an incident); unpausing takes two people.
  { method: 'POST', path: '/token/pause', function: 'tokenApi', auth: ['emergency-responder'] },
  { method: 'POST', path: '/token/unpause', function: 'tokenApi', auth: ['emergency-responder', 'compliance-officer'] },
  { method: 'POST', path: '/token/operations/{operationId}/approve', function: 'tokenApi', auth: ['emergency-responder', 'compliance-officer'] },
  { method: 'GET', path: '/token/operations/{operationId}', function: 'tokenApi', auth: ['emergency-responder', 'compliance-officer', 'auditor', 'operator'] },
  { method: 'GET', path: '/token/status', function: 'tokenApi', auth: ['emergency-responder', 'compliance-officer', 'auditor', 'operator'] },
];

/** Environment variables that are not a table, queue or bucket name. */
export const ENV = {
  /** JSON array of chain configurations (see lambda/config/chains.ts). */
  chains: 'CHAINS_CONFIG',
  /** Local runs only: hex private key of the allowlist agent. On AWS a KMS key signs instead. */
  signerPrivateKey: KMS_KEYS.allowlistSigner.localEnvVar,
  /** AWS only: KMS key id of the allowlist agent (ECC_SECG_P256K1). */
  signerKmsKeyId: KMS_KEYS.allowlistSigner.envVar,
  /** Local runs only: hex private key of the KYC claim signer. On AWS a KMS key signs instead. */
  claimSignerPrivateKey: KMS_KEYS.claimSigner.localEnvVar,
  /** `true` where S3 is served path-style (fauxqs locally). */
  s3ForcePathStyle: 'S3_FORCE_PATH_STYLE',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  auditSettleSeconds: OPTIONAL_ENV.auditSettleSeconds,
  sanctionsSourceUrl: OPTIONAL_ENV.sanctionsSourceUrl,
  sanctionsSourceDir: OPTIONAL_ENV.sanctionsSourceDir,
  nonSdnSourceUrl: OPTIONAL_ENV.nonSdnSourceUrl,
  nonSdnSourceDir: OPTIONAL_ENV.nonSdnSourceDir,
} as const;

export const SERVICE_NAME = 'treasury-compliance';

/**
 * CloudWatch metrics that alarms depend on: emitters and the stack's alarms share these names. The
 * alarms match dimensions exactly: emit with Powertools Metrics' default `service` dimension and only the
 * extra dimensions named here.
 */
export const METRICS = {
  namespace: 'TreasuryCompliance',
  /** Count, emitted by the list-refresh function after every successful check (changed or not). */
  sanctionsListChecked: 'SanctionsListChecked',
  /** Count per rejected webhook signature or timestamp, dimension `vendor`. */
  webhookSignatureRejected: 'WebhookSignatureRejected',
  /** Count per refused webhook, dimensions `vendor` (`unknown` for an unknown path) and `reason` (signature, unknown_vendor, too_large, malformed). */
  webhookRejected: 'WebhookRejected',
} as const;

/** Every function's spec, widened so optional fields can be read without narrowing. */
export const FUNCTION_SPECS: Readonly<Record<FunctionName, FunctionSpec>> = FUNCTIONS;

/** Resolves resource names to the values a deployment (CDK tokens) or the local runner uses. */
export interface ResourceNames {
  table(name: TableName): string;
  queue(name: QueueName): string;
  deadLetterQueue(name: QueueName): string;
  bucket(name: BucketName): string;
  chains(): string;
  kmsKey(name: KmsKeyName): string;
  secret(name: SecretName): string;
  setting(name: SettingName): string;
  /** An optional variable's value where the deployment or the local runner sets one. */
  optional?(name: OptionalEnvName): string | undefined;
}

/** The environment a function gets: exactly the resources its spec says it uses. */
export function environmentFor(fn: FunctionSpec, names: ResourceNames): Record<string, string> {
  const env: Record<string, string> = {};
  for (const table of Object.keys(fn.tables ?? {}) as TableName[]) env[TABLES[table].envVar] = names.table(table);
  for (const queue of fn.sendsTo ?? []) env[QUEUES[queue].envVar] = names.queue(queue);
  for (const queue of fn.deadLetters ?? []) {
    const envVar = (QUEUES[queue] as QueueSpec).deadLetterEnvVar;
    if (envVar) env[envVar] = names.deadLetterQueue(queue);
  }
  for (const bucket of Object.keys(fn.buckets ?? {}) as BucketName[]) env[BUCKETS[bucket].envVar] = names.bucket(bucket);
  if (fn.readsChains || fn.signsTransactions) env[ENV.chains] = names.chains();
  for (const key of fn.kmsKeys ?? []) env[KMS_KEYS[key].envVar] = names.kmsKey(key);
  for (const secret of fn.secrets ?? []) env[SECRETS[secret].envVar] = names.secret(secret);
  for (const setting of fn.settings ?? []) env[SETTINGS[setting].envVar] = names.setting(setting);
  for (const optional of fn.optional ?? []) {
    const value = names.optional?.(optional);
    if (value !== undefined) env[OPTIONAL_ENV[optional]] = value;
  }
  return env;
}

/** Queue names as created on AWS and locally: FIFO queues must end in `.fifo`. */
export function queueNames(prefix: string, queue: QueueName): { queue: string; deadLetter: string } {
  const suffix = QUEUES[queue].fifo ? '.fifo' : '';
  return { queue: `${prefix}-${queue}${suffix}`, deadLetter: `${prefix}-${queue}-dlq${suffix}` };
}
