import type { KycPerson } from './events';
import type { KycVerdict } from '../../shared';

/** What a vendor's API tells us about the applicant behind an event whose payload lacks it. */
export interface ApplicantDetails {
  readonly applicantId: string;
  readonly externalReference?: string;
  readonly person?: KycPerson;
  /** Set where only the API knows the verdict (an Onfido check's result). */
  readonly verdict?: KycVerdict;
}
