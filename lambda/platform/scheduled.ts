import type { Context } from 'aws-lambda';
import { observed } from './middleware';

/** Front door of a function that runs on an EventBridge schedule: the event carries nothing we use. */
export function scheduledFunction<Result>(run: (context: Context) => Promise<Result>) {
  return observed<unknown, Result>((_event, context) => run(context));
}
