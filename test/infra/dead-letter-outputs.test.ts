import { deadLetterQueuesOf } from '../../bin/cli/dead-letters';
import { SYSTEM } from '../../lib/treasury-compliance-stack';
import { SYNTHETIC_SYSTEM, synthesize } from '../helpers/infra';

/** The stack's dead-letter queues, by the output that names each (README, Deploy: Redriving a DLQ). */
const deadLetterOutputs = (system: typeof SYSTEM) =>
  Object.keys(synthesize({ system }).template.findOutputs('*'))
    .filter((output) => output.endsWith('DeadLetterQueueArn'))
    .sort();

describe('cli dlq knows every dead-letter queue the stack creates', () => {
  it.each([
    ['the system', SYSTEM],
    ['a system with another scheduled function', SYNTHETIC_SYSTEM],
  ])('%s: one CLI queue per DeadLetterQueueArn output, no more, no fewer', (_name, system) => {
    expect(
      deadLetterQueuesOf(system)
        .map((queue) => queue.output)
        .sort(),
    ).toEqual(deadLetterOutputs(system));
  });
});
