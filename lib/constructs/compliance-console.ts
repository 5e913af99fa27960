import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CustomResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type CfnBucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { buildConsole, consoleSecurityHeaders } from '../../console/build';
import type { ConsoleBundleFile } from '../console-publisher/publish';
import { ComplianceFunction } from './compliance-function';

export interface ComplianceConsoleProps {
  /** Where the buckets' server access logs go. */
  readonly serverAccessLogsBucket: IBucket;
  /** A custom domain for the console, with its ACM certificate (in us-east-1): TLS 1.2 (2021 policy) at least. */
  readonly domain?: { readonly name: string; readonly certificateArn: string };
  /** A WAF web ACL (scope CLOUDFRONT, in us-east-1) in front of the console. */
  readonly webAclArn?: string;
}

/** What the console needs to know at run time, written to its `config.json` at deployment. */
export interface ConsoleRuntimeConfig {
  readonly apiUrl: string;
  readonly userPoolId: string;
  readonly clientId: string;
  /** The Cognito domain's base URL (managed login, token endpoint). */
  readonly authDomain: string;
}

/**
 * The officers' and auditors' web console: the build of console/ in a private bucket, served only
 * through CloudFront (origin access control), over HTTPS, with strict security headers and access
 * logs. `publish` writes the build and its `config.json` (the API URL, the Cognito app client) into
 * the bucket at deployment, through a custom resource of our own whose role reads exactly this
 * build's asset and writes only this bucket.
 */
export class ComplianceConsole extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** `https://<distribution or custom domain>`: the origin the API's CORS and Cognito's callback name. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ComplianceConsoleProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: 'console/',
      // Old builds' hashed files are left in place by a deployment (a page loaded before it may still ask for them); versions expire.
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90) }],
    });
    // CloudFront's standard logs are written with ACLs: a bucket of their own, which logs its own access too.
    const cloudFrontLogs = new Bucket(this, 'CloudFrontLogsBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: 'console-cloudfront-logs/',
      lifecycleRules: [{ expiration: Duration.days(400) }],
    });

    const region = Stack.of(this).region;
    const headers = consoleSecurityHeaders(
      // The API and Cognito are the only other places the page talks to (their exact URLs would make a dependency cycle with the API's CORS).
      [`https://*.execute-api.${region}.amazonaws.com`, `https://cognito-idp.${region}.amazonaws.com`, `https://*.auth.${region}.amazoncognito.com`],
      [`https://*.auth.${region}.amazoncognito.com`],
    );
    const headersPolicy = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'treasury-compliance console: CSP, HSTS, no framing, no sniffing, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: headers['content-security-policy']!, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, preload: true, override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: { customHeaders: [{ header: 'Permissions-Policy', value: headers['permissions-policy']!, override: true }] },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'treasury-compliance console',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        // Objects carry their Cache-Control: hashed files forever, index.html and config.json revalidated.
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headersPolicy,
        compress: true,
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      // A TLS policy applies only with a certificate of the fund's own (the default one's is fixed).
      ...(props.domain
        ? {
            domainNames: [props.domain.name],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      enableLogging: true,
      logBucket: cloudFrontLogs,
      logFilePrefix: 'console/',
      webAclId: props.webAclArn,
    });
    this.url = `https://${props.domain?.name ?? this.distribution.distributionDomainName}`;

    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'Officers and auditors may work from anywhere; what protects the data is Cognito with MFA and the API behind it, not the location of whoever loads these static files.',
    });
    if (!props.webAclArn)
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR2',
        reason:
          'The distribution serves only static files that hold no data; the API has its own throttling and Cognito its threat protection. Pass -c consoleWebAclArn=<CLOUDFRONT-scope web ACL> to put WAF in front.',
      });
    if (!props.domain)
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain CloudFront serves its *.cloudfront.net certificate, whose TLS policy cannot be chosen; pass -c consoleDomainName and -c consoleCertificateArn for TLS 1.2_2021.',
      });
  }

  /** Publishes the build and its config.json into the bucket at every deployment that changes either. */
  publish(config: ConsoleRuntimeConfig): CustomResource {
    const bundle = buildConsole();
    const folder = mkdtempSync(path.join(tmpdir(), 'tc-console-asset-'));
    const file = path.join(folder, `console-${bundle.digest.slice(0, 16)}.json`);
    const files: ConsoleBundleFile[] = [...bundle.files].map(([name, built]) => ({
      path: name,
      contentType: built.contentType,
      immutable: built.immutable,
      base64: built.body.toString('base64'),
    }));
    writeFileSync(file, JSON.stringify(files));
    const asset = new Asset(this, 'Build', { path: file });

    const { fn, role } = new ComplianceFunction(this, 'PublisherFunction', {
      name: 'consolePublisher',
      spec: {
        entry: 'lib/console-publisher/index.ts',
        description: 'Deployment only: writes the console build and its config.json into the console bucket (a CloudFormation custom resource)',
        memorySize: 256,
        timeoutSeconds: 120,
      },
      environment: {},
      invokedByCloudFormation: true,
    });
    role.addToPolicy(
      new PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:${Stack.of(this).partition}:s3:::${asset.s3BucketName}/${asset.s3ObjectKey}`] }),
    );
    role.addToPolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects('*')] }));
    const bucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`,
      reason: "The publisher writes the console's files, whose names change with every build, into this one bucket; it reads only this build's asset object.",
    });

    // What console/src/config.ts reads; no token or secret: people sign in to Cognito themselves.
    const runtimeConfig = Stack.of(this).toJsonString({
      apiUrl: config.apiUrl,
      auth: {
        mode: 'cognito',
        authority: `https://cognito-idp.${Stack.of(this).region}.${Stack.of(this).urlSuffix}/${config.userPoolId}`,
        clientId: config.clientId,
        domain: config.authDomain,
        scope: CONSOLE_SCOPES.join(' '),
      },
    });
    return new CustomResource(this, 'Publication', {
      serviceToken: fn.functionArn,
      resourceType: 'Custom::ConsolePublication',
      properties: { Bucket: this.bucket.bucketName, AssetBucket: asset.s3BucketName, AssetKey: asset.s3ObjectKey, Config: runtimeConfig },
    });
  }
}

/** The OAuth scopes the console asks Cognito for: who the person is; their role comes as `cognito:groups` in the access token. */
export const CONSOLE_SCOPES = ['openid', 'email', 'profile'] as const;
