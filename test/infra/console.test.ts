import { Match } from 'aws-cdk-lib/assertions';
import { CONSOLE_CORS } from '../../lambda/config/system';
import { getAtt, logicalId, synthesize } from '../helpers/infra';

/** The console on AWS: a private bucket behind CloudFront, strict headers, CORS for its origin only, published at deployment by a narrow role. */
describe('the console on AWS', () => {
  const { template } = synthesize();
  const distributionId = logicalId(template, 'AWS::CloudFront::Distribution', 'ConsoleDistribution');
  const bucketId = logicalId(template, 'AWS::S3::Bucket', 'ConsoleBucket');
  const consoleOrigin = { 'Fn::Join': ['', ['https://', getAtt(distributionId, 'DomainName')]] };
  const distribution = template.findResources('AWS::CloudFront::Distribution')[distributionId]!.Properties.DistributionConfig;

  it('keeps the files in a private, encrypted, TLS-only bucket that only this distribution can read (origin access control)', () => {
    const bucket = template.findResources('AWS::S3::Bucket')[bucketId]!;
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    expect(bucket.Properties.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: logicalId(template, 'AWS::S3::Bucket', 'AccessLogsBucket') });
    const [policy] = Object.values(template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucketId } } }));
    const statements = policy!.Properties.PolicyDocument.Statement as Record<string, unknown>[];
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const allows = statements.filter((statement) => statement.Effect === 'Allow');
    expect(allows).toEqual([
      expect.objectContaining({
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Condition: { StringEquals: { 'AWS:SourceArn': expect.objectContaining({ 'Fn::Join': expect.anything() }) } },
      }),
    ]);
    expect(JSON.stringify(allows[0]!.Condition)).toContain(distributionId);
    expect(distribution.Origins[0]).toMatchObject({ OriginAccessControlId: expect.anything(), S3OriginConfig: { OriginAccessIdentity: '' } });
  });

  it('serves over HTTPS only, with a strict CSP, HSTS, no framing, no sniffing, no referrer, and logs every request', () => {
    expect(distribution).toMatchObject({
      DefaultRootObject: 'index.html',
      HttpVersion: 'http2and3',
      DefaultCacheBehavior: { ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD'], Compress: true },
      Logging: { Bucket: getAtt(logicalId(template, 'AWS::S3::Bucket', 'ConsoleCloudFrontLogsBucket'), 'RegionalDomainName') },
    });
    const [headers] = Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    const security = headers!.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(security).toMatchObject({
      StrictTransportSecurity: { AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Preload: true, Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ContentTypeOptions: { Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
    });
    const csp = JSON.stringify(security.ContentSecurityPolicy.ContentSecurityPolicy);
    for (const directive of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"])
      expect(csp).toContain(directive);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(distribution.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({
      Ref: Object.keys(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'))[0],
    });
  });

  it("answers CORS on the API for the console's origin only", () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: {
        AllowOrigins: [consoleOrigin],
        AllowMethods: [...CONSOLE_CORS.allowMethods],
        AllowHeaders: [...CONSOLE_CORS.allowHeaders],
        MaxAge: CONSOLE_CORS.maxAgeSeconds,
      },
    });
  });

  it('publishes the build and a config.json naming the API and the Cognito app client, never a token', () => {
    const [publication] = Object.values(template.findResources('Custom::ConsolePublication'));
    const properties = publication!.Properties;
    expect(properties).toMatchObject({ Bucket: { Ref: bucketId }, AssetBucket: expect.anything(), AssetKey: expect.stringMatching(/\.json$/) });
    const config = JSON.stringify(properties.Config);
    expect(config).toContain(logicalId(template, 'AWS::ApiGatewayV2::Api', 'HttpApi'));
    expect(config).toContain(logicalId(template, 'AWS::Cognito::UserPoolClient', 'HttpUsersConsoleClient'));
    expect(config).toContain('"mode\\":\\"cognito');
    expect(config).not.toMatch(/token"|identities/);
    template.hasOutput('ConsoleUrl', { Value: consoleOrigin });
  });

  it("gives the publisher exactly this build's asset to read and the console bucket to write", () => {
    const roleId = logicalId(template, 'AWS::IAM::Role', 'ConsolePublisherFunctionRole');
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
    const s3 = statements.filter((statement) => JSON.stringify(statement.Action).includes('s3:'));
    expect(s3).toEqual([
      expect.objectContaining({ Action: 's3:GetObject', Resource: expect.objectContaining({ 'Fn::Join': expect.anything() }) }),
      expect.objectContaining({ Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [getAtt(bucketId), '/*']] } }),
    ]);
    const assetObject = JSON.stringify(s3[0]!.Resource);
    expect(assetObject).toMatch(/cdk-[a-z0-9]+-assets-.*\/[0-9a-f]{64}\.json/);
    expect(assetObject).not.toContain('*');
  });

  it("on the fund's own domain: that name, its certificate and TLS 1.2 (2021) at least; Cognito calls back there", () => {
    const custom = synthesize({
      consoleDomain: { name: 'compliance.example.com', certificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/abc' },
    }).template;
    custom.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['compliance.example.com'],
        ViewerCertificate: {
          AcmCertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/abc',
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        },
      }),
    });
    custom.hasResourceProperties('AWS::Cognito::UserPoolClient', { AllowedOAuthFlows: ['code'], CallbackURLs: ['https://compliance.example.com/'] });
    custom.hasOutput('ConsoleUrl', { Value: 'https://compliance.example.com' });
  });
});
