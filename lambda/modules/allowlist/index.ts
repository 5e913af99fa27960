export { type FlushDeps, flushRegistry } from './flush';
export { type AllowlistMessage, type AllowlistWorkerDeps, handleAllowlistBatch } from './intake';
export { type TransactionSlot } from './ports';
export { reconcileRegistry } from './reconcile';
export { type ChainAllowlisting, type ChainSummary, type ChainWalletState, type InvestorWalletStates, investorWalletStates } from './wallet-states';
export { type MigrateIdentitiesResult, migrateIdentities } from './migrate';
export { type AllowlistHold, type AllowlistJournal, type FlushRequests, type RegistryChain, type TokenAgentMethod } from './ports';
export { JournaledSender, type CallToSend, type SettledSlot } from './transactions';
