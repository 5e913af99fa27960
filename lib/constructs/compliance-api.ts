import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  type HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
  type ThrottleSettings,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  CfnUserPoolGroup,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  ResourceServerScope,
  StandardThreatProtectionMode,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { API_SCOPE_SERVER, CONSOLE_CORS, MACHINE_ROLES, ROLES, type RouteSpec } from '../../lambda/config/system';

export interface ApiRoute extends Omit<RouteSpec, 'function'> {
  /** The function's name in the system definition. */
  readonly function: string;
  readonly handler: IFunction;
}

export interface ComplianceApiProps {
  readonly routes: readonly ApiRoute[];
  /** The Cognito domain prefix machine clients get tokens from (`https://<prefix>.auth.<region>.amazoncognito.com/oauth2/token`); unique per region. */
  readonly authDomainPrefix: string;
  /** Every route's limit unless a tighter one applies. */
  readonly throttle?: ThrottleSettings;
  /** Public (signature-authenticated) routes: anyone can reach them, so they get a tighter limit. */
  readonly publicRouteThrottle?: ThrottleSettings;
  /**
   * The officers' console (`https://...`): people sign in there through Cognito's managed login
   * (authorization code with PKCE, MFA), and the API answers CORS for that origin only.
   */
  readonly consoleUrl?: string;
  /** The OAuth scopes the console asks for. */
  readonly consoleScopes?: readonly string[];
}

export const DEFAULT_THROTTLE: ThrottleSettings = { rateLimit: 50, burstLimit: 100 };
export const PUBLIC_ROUTE_THROTTLE: ThrottleSettings = { rateLimit: 10, burstLimit: 20 };

/**
 * Who called what, and how it went; never bodies, headers or token claims beyond the subject id
 * (HTTP API access logs cannot carry bodies, and the format below names every field).
 */
export const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  subject: '$context.authorizer.claims.sub',
};

/**
 * The HTTP API: a Cognito user pool (MFA required, threat protection enforced, one group per role),
 * a JWT authorizer on every non-public route, stage-wide and per-route throttling, JSON access logs.
 * Roles are enforced in the handlers from the same route table (lambda/platform/http.ts).
 */
export class ComplianceApi extends Construct {
  readonly api: HttpApi;
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  /** The console's app client: a public client (no secret) with the authorization code grant only. */
  readonly consoleClient?: UserPoolClient;
  /** One OAuth client-credentials client per machine role (the fund's portal), by role. */
  readonly machineClients: ReadonlyMap<string, UserPoolClient>;
  readonly domain: UserPoolDomain;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: ComplianceApiProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      passwordPolicy: { minLength: 14, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const role of ROLES) new CfnUserPoolGroup(this, `${role}Group`, { userPoolId: this.userPool.userPoolId, groupName: role });
    // People sign in with SRP and MFA (the CLI), or through managed login in the console; the domain serves both it and the machines' token endpoint.
    this.client = new UserPoolClient(this, 'ApiClient', {
      userPool: this.userPool,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      disableOAuth: true,
    });
    // Machines (the portal) cannot answer MFA: they use client credentials, their role as a scope.
    const scopes = new Map(MACHINE_ROLES.map((role) => [role, new ResourceServerScope({ scopeName: role, scopeDescription: `the ${role} role` })]));
    const resourceServer = this.userPool.addResourceServer('ApiScopes', { identifier: API_SCOPE_SERVER, scopes: [...scopes.values()] });
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.authDomainPrefix },
      managedLoginVersion: props.consoleUrl ? ManagedLoginVersion.NEWER_MANAGED_LOGIN : undefined,
    });
    if (props.consoleUrl) {
      // A browser holds no secret: authorization code with PKCE (the console always sends a code challenge), no implicit grant, no password flows.
      this.consoleClient = this.userPool.addClient('ConsoleClient', {
        generateSecret: false,
        authFlows: {},
        preventUserExistenceErrors: true,
        supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
        oAuth: {
          flows: { authorizationCodeGrant: true },
          scopes: (props.consoleScopes ?? ['openid', 'email', 'profile']).map((scope) => OAuthScope.custom(scope)),
          callbackUrls: [`${props.consoleUrl}/`],
          logoutUrls: [`${props.consoleUrl}/`],
        },
        accessTokenValidity: Duration.hours(1),
        idTokenValidity: Duration.hours(1),
        // A working day: after that people sign in again, with MFA.
        refreshTokenValidity: Duration.hours(12),
        enableTokenRevocation: true,
      });
      // Managed login shows Cognito's own sign-in, MFA and password pages for this client.
      new CfnManagedLoginBranding(this, 'ConsoleLoginBranding', {
        userPoolId: this.userPool.userPoolId,
        clientId: this.consoleClient.userPoolClientId,
        useCognitoProvidedValues: true,
      });
    }
    this.machineClients = new Map(
      [...scopes].map(([role, scope]) => [
        role,
        this.userPool.addClient(`${role}MachineClient`, {
          generateSecret: true,
          authFlows: {},
          oAuth: { flows: { clientCredentials: true }, scopes: [OAuthScope.resourceServer(resourceServer, scope)] },
          accessTokenValidity: Duration.hours(1),
        }),
      ]),
    );
    const authorizer = new HttpUserPoolAuthorizer('CognitoAuthorizer', this.userPool, {
      userPoolClients: [this.client, ...(this.consoleClient ? [this.consoleClient] : []), ...this.machineClients.values()],
    });

    this.api = new HttpApi(this, 'Api', {
      description: 'treasury-compliance: KYC webhooks, investors, cases, audit',
      createDefaultStage: false,
      // API Gateway answers the console's preflights itself; no other origin gets CORS headers.
      corsPreflight: props.consoleUrl
        ? {
            allowOrigins: [props.consoleUrl],
            allowMethods: CONSOLE_CORS.allowMethods.map((method) => CorsHttpMethod[method]),
            allowHeaders: [...CONSOLE_CORS.allowHeaders],
            maxAge: Duration.seconds(CONSOLE_CORS.maxAgeSeconds),
          }
        : undefined,
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_YEAR });
    const throttle = props.throttle ?? DEFAULT_THROTTLE;
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)) },
    });

    const integrations = new Map<string, HttpLambdaIntegration>();
    const publicThrottle = props.publicRouteThrottle ?? PUBLIC_ROUTE_THROTTLE;
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    for (const route of props.routes) {
      let integration = integrations.get(route.function);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${route.function}Integration`, route.handler);
        integrations.set(route.function, integration);
      }
      const isPublic = route.auth === 'public';
      const [created] = this.api.addRoutes({
        path: route.path,
        methods: [route.method as HttpMethod],
        integration,
        authorizer: isPublic ? new HttpNoneAuthorizer() : authorizer,
      });
      if (!isPublic || !created) continue;
      Validations.of(created).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          "A vendor webhook: the caller has no Cognito identity; the function verifies the vendor's signature over the raw body and a replay window before anything else, and the route has its own tighter throttle.",
      });
      routeSettings[`${route.method} ${route.path}`] = {
        ThrottlingRateLimit: publicThrottle.rateLimit ?? 0,
        ThrottlingBurstLimit: publicThrottle.burstLimit ?? 0,
      };
      // A stage's route settings name routes that must already exist.
      this.stage.node.addDependency(created);
    }
    if (Object.keys(routeSettings).length > 0) (this.stage.node.defaultChild as CfnStage).routeSettings = routeSettings;
  }
}
