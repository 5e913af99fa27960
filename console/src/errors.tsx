import type { ReactNode } from 'react';
import { ApiError } from './api';

export interface Explained {
  /** What happened, in words a person understands. */
  readonly title: string;
  /** The API's own words, when they add something. */
  readonly detail?: string;
  /** What to do next. */
  readonly next: string;
}

const fieldList = (issues: ApiError['issues']) => issues.map((issue) => `${issue.field} ${issue.problem}`).join('; ');

/** Every error the console can meet, as a sentence and a next step; nothing technical is left as the only explanation. */
export function explain(error: unknown, context: { readonly action?: string } = {}): Explained {
  const action = context.action ?? 'this';
  if (!(error instanceof ApiError)) {
    return {
      title: `Could not do ${action}: something unexpected happened in the console.`,
      detail: String((error as Error)?.message ?? error),
      next: 'Reload the page and try again.',
    };
  }
  switch (error.status) {
    case 0:
      return { title: 'The compliance API could not be reached.', next: 'Check your network connection, then try again: nothing was changed.' };
    case 400:
      return {
        title: 'Some of what was sent was not accepted.',
        detail: error.issues.length > 0 ? fieldList(error.issues) : error.message,
        next: 'Correct the fields named above and try again.',
      };
    case 401:
      return { title: 'Your session has ended.', next: 'Sign in again; what you typed on this page is kept.' };
    case 403:
      if (/four-eyes/i.test(error.message))
        return {
          title: 'You proposed this decision, so you cannot approve or reject it yourself.',
          next: 'A second, different compliance officer must approve or reject it.',
        };
      return { title: 'Your role may not do this.', detail: error.message, next: 'Ask someone who holds the role named above.' };
    case 404:
      return { title: 'Not found.', detail: error.message, next: 'Check the id or link; it may have been mistyped.' };
    case 409:
      return {
        title: 'Someone else changed this first.',
        detail: error.message,
        next: 'The page now shows the latest state; check it before acting again. What you typed is kept.',
      };
    case 413:
      return { title: 'What was sent is too large.', next: 'Shorten it and try again.' };
    case 422:
      return {
        title: 'This cannot be done as it stands.',
        detail: error.issues.length > 0 ? fieldList(error.issues) : error.message,
        next: 'Complete or change what is named above, then try again.',
      };
    case 503:
      return {
        title: 'A service the API depends on is unavailable right now.',
        detail: error.message,
        next: 'Wait a minute and try again; nothing was changed.',
      };
    default:
      return {
        title: 'The API could not complete the request.',
        detail: `${error.status} ${error.code}`,
        next: 'Try again; if it keeps failing, tell the operators what you were doing and when.',
      };
  }
}

export function ErrorNotice({ error, action, children }: { error: unknown; action?: string; children?: ReactNode }) {
  const { title, detail, next } = explain(error, { action });
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">{title}</p>
      {detail ? <p className="notice-detail">{detail}</p> : null}
      <p className="notice-next">{next}</p>
      {children}
    </div>
  );
}
