export { DynamoTokenOperations } from './dynamo-token-operations';
export { tokenChains } from './evm-token-chains';
export { SqsTokenOperationRequests } from './sqs-token-requests';
