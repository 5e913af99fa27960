import { createHandler } from './handler';
import { compose } from './root';

/** The Lambda entry point: configuration read once, at cold start. */
export const handler = createHandler(compose(process.env));
