export { DynamoInvestorRepository, investorKey } from './dynamo-investor-repository';
export { SqsAllowlistRequests, SqsScreeningRequests } from './sqs-requests';
