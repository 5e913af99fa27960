import { API_SCOPE_SERVER, MACHINE_ROLES, ROLES, ROUTES, type Role } from '../../lambda/config/system';
import { ForbiddenError } from '../../lambda/shared';
import { authorize } from '../../lambda/platform/http';
import { httpEvent } from '../helpers/events';
import { logicalId, pascal, synthesize } from '../helpers/infra';

/**
 * The authorization matrix as deployed: API Gateway's Cognito JWT authorizer authenticates every
 * non-public route, and the function behind it (the one system.ts names) admits exactly the route's
 * roles from the token's `cognito:groups` (people) or scope (machine clients). The e2e test test/e2e/authorization-matrix.test.ts proves
 * the same matrix over HTTP against the local API.
 */
describe('authorization matrix of the synthesized stack', () => {
  const { template } = synthesize();
  const routes = template.findResources('AWS::ApiGatewayV2::Route');
  const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
  const [authorizerId, authorizer] = Object.entries(template.findResources('AWS::ApiGatewayV2::Authorizer'))[0]!;
  const userPoolId = logicalId(template, 'AWS::Cognito::UserPool', 'HttpUsers');

  it('has exactly the routes of system.ts, no more', () => {
    expect(
      Object.values(routes)
        .map((route) => route.Properties.RouteKey)
        .sort(),
    ).toEqual(ROUTES.map((route) => `${route.method} ${route.path}`).sort());
  });

  it("authenticates with the user pool's tokens only: people's app client and each machine role's client", () => {
    expect(authorizer.Properties).toMatchObject({ AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'] });
    expect(JSON.stringify(authorizer.Properties.JwtConfiguration.Issuer)).toContain(userPoolId);
    const clients = template.findResources('AWS::Cognito::UserPoolClient');
    expect(authorizer.Properties.JwtConfiguration.Audience.map((audience: { Ref: string }) => audience.Ref).sort()).toEqual(Object.keys(clients).sort());
  });

  it('gives each machine role (the portal) a client-credentials client whose only scope is its role, and no person a way in without MFA', () => {
    const clients = Object.values(template.findResources('AWS::Cognito::UserPoolClient')).map((client) => client.Properties);
    const machines = clients.filter((client) => client.AllowedOAuthFlows?.includes('client_credentials'));
    expect(machines).toHaveLength(MACHINE_ROLES.length);
    const [serverId, server] = Object.entries(template.findResources('AWS::Cognito::UserPoolResourceServer'))[0]!;
    expect(server.Properties).toMatchObject({
      Identifier: API_SCOPE_SERVER,
      Scopes: MACHINE_ROLES.map((role) => expect.objectContaining({ ScopeName: role })),
    });
    for (const role of MACHINE_ROLES) {
      // `Ref` of the resource server is its identifier: the scope reads `<API_SCOPE_SERVER>/<role>`.
      expect(machines).toContainEqual(
        expect.objectContaining({
          AllowedOAuthFlows: ['client_credentials'],
          GenerateSecret: true,
          AllowedOAuthScopes: [{ 'Fn::Join': ['', [{ Ref: serverId }, `/${role}`]] }],
        }),
      );
    }
    // People have two ways in, both through the user pool's sign-in with MFA: SRP (the CLI), and the
    // console's managed login with the authorization code grant (PKCE), a public client with no secret,
    // no implicit grant, no password flow and no client credentials.
    const people = clients.filter((client) => !client.AllowedOAuthFlows?.includes('client_credentials'));
    expect(people).toHaveLength(2);
    expect(people).toContainEqual(expect.objectContaining({ ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }));
    expect(people.find((client) => !client.AllowedOAuthFlows)).toBeDefined();
    const consoleClient = people.find((client) => client.AllowedOAuthFlows);
    expect(consoleClient).toMatchObject({
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      GenerateSecret: false,
      SupportedIdentityProviders: ['COGNITO'],
      CallbackURLs: [
        { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(template, 'AWS::CloudFront::Distribution', 'ConsoleDistribution'), 'DomainName'] }, '/']] },
      ],
    });
    expect(consoleClient!.ExplicitAuthFlows ?? ['ALLOW_REFRESH_TOKEN_AUTH']).toEqual(['ALLOW_REFRESH_TOKEN_AUTH']);
    template.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'ON' });
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { ManagedLoginVersion: 2 });
    template.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', { UseCognitoProvidedValues: true });
  });

  it.each(ROLES.map((role) => [role, MACHINE_ROLES.includes(role)] as const))(
    'a client-credentials token with the scope of %s carries that role: %s',
    (role: Role, machine: boolean) => {
      const event = httpEvent('GET /investors/{investorId}', { subject: 'client-id', scope: `${API_SCOPE_SERVER}/${role}` });
      if (machine) expect(authorize(event).actor).toBe(`${role}:client-id`);
      else expect(() => authorize(event)).toThrow(ForbiddenError);
    },
  );

  it("admits to the console's read routes exactly the people whose screens need them", () => {
    const rolesOf = (routeKey: string) => ROUTES.find((route) => `${route.method} ${route.path}` === routeKey)?.auth;
    expect({
      kyc: rolesOf('GET /investors/{investorId}/kyc'),
      screenings: rolesOf('GET /investors/{investorId}/screenings'),
      wallets: rolesOf('GET /investors/{investorId}/wallets'),
      caseHistory: rolesOf('GET /cases/{caseId}/history'),
      listedEntry: rolesOf('GET /lists/{listVersion}/entries/{sdnId}'),
    }).toEqual({
      kyc: ['operator', 'compliance-officer'],
      screenings: ['operator', 'compliance-officer'],
      wallets: ['operator', 'compliance-officer'],
      caseHistory: ['compliance-officer', 'auditor'],
      listedEntry: ['compliance-officer', 'auditor'],
    });
  });

  it('ignores scopes of other resource servers', () => {
    expect(() => authorize(httpEvent('POST /investors', { subject: 'client-id', scope: 'other-server/portal aws.cognito.signin.user.admin' }))).toThrow(
      ForbiddenError,
    );
  });

  describe.each(ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))('%s', (routeKey, route) => {
    const [, resource] = Object.entries(routes).find(([, candidate]) => candidate.Properties.RouteKey === routeKey)!;

    it(route.auth === 'public' ? 'has no authorizer (the function checks a signature)' : 'sits behind the Cognito JWT authorizer', () => {
      if (route.auth === 'public') {
        expect(resource.Properties.AuthorizationType).toBe('NONE');
        expect(resource.Properties.AuthorizerId).toBeUndefined();
      } else {
        expect(resource.Properties).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
      }
    });

    it(`invokes ${route.function}`, () => {
      const integrationId = (resource.Properties.Target['Fn::Join'][1][1] as { Ref: string }).Ref;
      const functionId = logicalId(template, 'AWS::Lambda::Function', `${pascal(route.function)}Function`);
      expect(integrations[integrationId]!.Properties.IntegrationUri).toEqual({ 'Fn::GetAtt': [functionId, 'Arn'] });
    });

    if (route.auth === 'public') return;
    const allowed = route.auth;
    it.each(ROLES.map((role) => [role, allowed.includes(role)] as const))('a token in group %s is admitted: %s', (role: Role, admitted: boolean) => {
      const event = httpEvent(routeKey, { subject: `user-${role}`, groups: [role] });
      if (admitted) expect(authorize(event).actor).toBe(`${role}:user-${role}`);
      else expect(() => authorize(event)).toThrow(ForbiddenError);
    });
  });
});
