import { DomainError } from '../../shared/errors';

/** A sanctions publication that cannot be read: a missing file, a broken structure, no entries. */
export class ListFormatError extends DomainError {
  readonly code = 'LIST_FORMAT_INVALID';
}

/** No sanctions list has been loaded yet, so nobody can be screened. */
export class NoListError extends DomainError {
  readonly code = 'NO_SANCTIONS_LIST';
}
