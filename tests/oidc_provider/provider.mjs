// A real OpenID Connect provider for the single sign-on tests (npm oidc-provider).
// Usage: node provider.mjs <config.json>. The config names the issuer, port, clients, the
// signing keys and the accounts; accounts are read again at every sign-in, so a test can
// change an employee's groups between two sign-ins. Logins use oidc-provider's development
// interactions (any password), consent is granted automatically.
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const configPath = process.argv[2];
const readConfig = () => JSON.parse(readFileSync(configPath, 'utf8'));
const config = readConfig();

const provider = new Provider(config.issuer, {
  clients: config.clients,
  jwks: config.jwks,
  cookies: { keys: ['customer-center-test-provider'] },
  scopes: ['openid', 'email', 'profile', 'groups', 'offline_access'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    groups: ['groups'],
  },
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    const account = readConfig().accounts[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: account.email, email_verified: true, name: account.name,
          groups: account.groups };
      },
    };
  },
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile groups');
    await grant.save();
    return grant;
  },
});

provider.listen(config.port, '127.0.0.1', () => {
  console.log(`oidc provider ready at ${config.issuer}`);
});
