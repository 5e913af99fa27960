export { DynamoInvestorBook } from './dynamo-investor-book';
export { DynamoListVersionRepository } from './dynamo-list-version-repository';
export { DynamoScreeningRepository } from './dynamo-screening-repository';
export { ListFolderError, readListFolder } from './list-folder';
export { FolderListSource, HttpListSource, OFAC_CONS_ADVANCED_URL, OFAC_SDN_ADVANCED_URL } from './list-sources';
export { S3SnapshotStore } from './s3-snapshot-store';
export { SqsRescreenRequests } from './sqs-rescreen-requests';
