import type { ScreeningOutcome } from './screener';

export interface ScreeningRecord extends ScreeningOutcome {
  readonly investorId: string;
  readonly screenedAt: string;
}

export interface ScreeningRepository {
  save(record: ScreeningRecord): Promise<void>;
  latest(investorId: string): Promise<ScreeningRecord | undefined>;
}
