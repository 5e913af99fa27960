import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, type NagPack, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag's AwsSolutions and Serverless packs as CDK validation plugins: synthesis fails on an
 * unacknowledged error and reports warnings. Acknowledgements (`Validations.of(x).acknowledge`)
 * sit next to the resource they concern, each with its reason.
 */
export function addCompliancePacks(app: IConstruct): NagPack[] {
  const packs: NagPack[] = [new AwsSolutionsChecks(app, { verbose: true }), new ServerlessChecks(app, { verbose: true })];
  Validations.of(app).addPlugins(...packs);
  return packs;
}
