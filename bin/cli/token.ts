import type { Command } from 'commander';
import type { TokenOperation, TokenStatus } from '../../lambda/modules/token';
import { CliError, emit } from './output';
import { apiTarget, callApi, withApiOptions } from './session';

interface ApiOptions {
  apiUrl?: string;
  token?: string;
  as?: string;
  workDir?: string;
  json: boolean;
}

function renderOperation(operation: TokenOperation): string {
  const chains = Object.entries(operation.chains).map(
    ([chainId, outcome]) =>
      `  chain ${chainId.padEnd(8)} ${outcome.status}${outcome.transactionHash ? ` tx ${outcome.transactionHash} block ${outcome.blockNumber}` : ''}${outcome.alreadyInState ? ' (already in state)' : ''}${outcome.lastError ? ` (${outcome.lastError})` : ''}`,
  );
  return [
    `operation ${operation.operationId}  ${operation.kind}  ${operation.status}`,
    `  requested  by ${operation.requestedBy} at ${operation.requestedAt}: ${operation.reason}`,
    ...(operation.approvedBy ? [`  approved   by ${operation.approvedBy} at ${operation.approvedAt}`] : []),
    ...chains,
  ].join('\n');
}

function renderStatus(status: TokenStatus): string {
  return [
    `token ${status.paused ? 'PAUSED' : 'running'}${status.pipelineHeld ? ' (allowlist adds and unfreezes wait)' : ''}`,
    ...(status.unpauseProposal
      ? [`  unpause proposed: ${status.unpauseProposal.operationId} by ${status.unpauseProposal.requestedBy}, awaiting approval`]
      : []),
    ...status.chains.map((chain) => {
      const state = chain.paused === null ? 'UNAVAILABLE' : chain.paused ? 'paused' : 'not paused';
      const op = chain.operation;
      const tx = op?.transactionHash ? ` ${op.kind} tx ${op.transactionHash} block ${op.blockNumber}` : op ? ` ${op.kind} ${op.status ?? 'queued'}` : '';
      return `  ${String(chain.chainId).padEnd(8)} ${chain.name.padEnd(14)} ${state}${tx}`;
    }),
  ].join('\n');
}

/** `cli token ...`: the emergency controls, through the HTTP API. */
export function register(program: Command): void {
  const token = program.command('token').description('Emergency controls of the token on every chain: pause (one person), unpause (four-eyes), status');

  withApiOptions(token.command('pause').description('Pause the token on every configured chain, at once, without a second person'), 'emergency-responder')
    .requiredOption('--reason <text>', 'why (recorded in the audit trail)')
    .action(async (options: ApiOptions & { reason: string }) => {
      const answer = await callApi<{ operation: TokenOperation; alreadyPaused: boolean }>(apiTarget(options), 'POST', '/token/pause', {
        reason: options.reason,
      });
      emit(
        options.json,
        answer,
        () => `${answer.alreadyPaused ? 'already paused: ' : 'pausing: '}${renderOperation(answer.operation)}\n(cli token status shows each chain)`,
      );
    });

  withApiOptions(
    token.command('unpause').description('Propose to unpause; a different officer or responder approves (cli token approve <id>)'),
    'compliance-officer',
  )
    .requiredOption('--reason <text>', 'why (recorded in the audit trail)')
    .action(async (options: ApiOptions & { reason: string }) => {
      const { operation } = await callApi<{ operation: TokenOperation }>(apiTarget(options), 'POST', '/token/unpause', { reason: options.reason });
      emit(
        options.json,
        { operation },
        () => `proposed: ${renderOperation(operation)}\n(approve as someone else: cli token approve ${operation.operationId} --as <user>)`,
      );
    });

  withApiOptions(
    token.command('approve').description("Approve another person's unpause proposal (never your own)").argument('<operationId>'),
    'compliance-officer',
  ).action(async (operationId: string, options: ApiOptions) => {
    if (!/^[0-9A-Za-z-]{1,64}$/.test(operationId)) throw new CliError('operationId must be the id `cli token unpause` printed');
    const { operation } = await callApi<{ operation: TokenOperation }>(
      apiTarget(options),
      'POST',
      `/token/operations/${encodeURIComponent(operationId)}/approve`,
    );
    emit(options.json, { operation }, () => `approved: ${renderOperation(operation)}`);
  });

  withApiOptions(
    token.command('status').description('The token per chain as each chain answers (paused or not), with the transaction and block'),
    'compliance-officer',
  ).action(async (options: ApiOptions) => {
    const status = await callApi<TokenStatus>(apiTarget(options), 'GET', '/token/status');
    emit(options.json, status, () => renderStatus(status));
  });
}
