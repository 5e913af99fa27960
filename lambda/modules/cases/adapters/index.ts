export { DynamoCaseRepository } from './dynamo-case-repository';
