import { UnprocessableError } from '../../shared';

/** The fund does not onboard residents or nationals of these countries (configurable). */
export class JurisdictionBlockedError extends UnprocessableError {
  readonly code = 'JURISDICTION_BLOCKED';
}
