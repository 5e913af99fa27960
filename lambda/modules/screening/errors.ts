import { TransientError, UnprocessableError } from '../../shared';

/** A sanctions publication that cannot be read: a missing file, a broken structure, no entries. */
export class ListFormatError extends UnprocessableError {
  readonly code = 'LIST_FORMAT_INVALID';
}

/** No sanctions list has been loaded yet, so nobody can be screened (until the list refresh has run). */
export class NoListError extends TransientError {
  override readonly code = 'NO_SANCTIONS_LIST';
}
