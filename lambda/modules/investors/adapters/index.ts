export { DynamoInvestorRepository, investorKey } from './dynamo-investor-repository';
export { SqsAllowlistRequests, SqsKycEventQueue, SqsRescreenRequests, SqsScreeningRequests } from './sqs-requests';
