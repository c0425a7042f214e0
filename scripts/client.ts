// `npm run client -- add|list|remove`: registers the sites that may send their
// users here to sign in with OpenID Connect. Reads the same configuration as
// `npm start` (data/secrets.json in demo mode), so secrets are encrypted with
// the portal's own key.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ConfigError } from "@/lib/config";
import { prepareEnv } from "@/lib/runtime/prepare-env";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

const USAGE = `Usage:
  npm run client -- add --name "Acme" --redirect-uri https://acme.example/cb [--redirect-uri …]
                        [--post-logout-redirect-uri https://acme.example/] [--public]
  npm run client -- list
  npm run client -- remove <client_id>

--public registers a client without a secret (single-page or mobile app); it must use PKCE, as every client must.`;

function out(line = "") {
  process.stdout.write(`${line}\n`);
}

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  if (!command || command === "help" || command === "--help" || command === "-h") {
    out(USAGE);
    return;
  }
  try {
    Object.assign(process.env, prepareEnv(root, process.env).env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const { migrate } = await import("@/lib/db/migrate");
  const { config } = await import("@/lib/config");
  const { disconnectDb } = await import("@/lib/db/client");
  await migrate(config().DATABASE_URL);
  try {
    if (command === "add") await add(rest);
    else if (command === "list") await list();
    else if (command === "remove") await remove(rest);
    else fail(`Unknown command "${command}".`);
  } finally {
    await disconnectDb();
  }
}

async function add(args: string[]) {
  const { registerClient, ClientInputError } = await import("@/lib/oidc/register-client");
  const { config } = await import("@/lib/config");
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        name: { type: "string" },
        "redirect-uri": { type: "string", multiple: true },
        "post-logout-redirect-uri": { type: "string", multiple: true },
        public: { type: "boolean", default: false },
      },
      strict: true,
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (!values.name) fail("--name is required.");
  try {
    const { clientId, clientSecret } = await registerClient({
      name: values.name,
      redirectUris: values["redirect-uri"] ?? [],
      postLogoutRedirectUris: values["post-logout-redirect-uri"] ?? [],
      isPublic: values.public,
    });
    const issuer = config().publicOrigin;
    out(`Registered "${values.name.trim()}".`);
    out();
    out(`  issuer         ${issuer}`);
    out(`  client_id      ${clientId}`);
    if (clientSecret) {
      out(`  client_secret  ${clientSecret}`);
      out();
      out("The secret is shown only this once. Keep it on your server; it cannot be read back.");
    } else {
      out("  client_secret  (none: public client, PKCE only)");
    }
    out();
    out(`Discovery: ${issuer}/.well-known/openid-configuration`);
  } catch (error) {
    if (error instanceof ClientInputError) fail(error.message);
    throw error;
  }
}

async function list() {
  const { listClients } = await import("@/lib/oidc/list-clients");
  const clients = await listClients();
  if (!clients.length) {
    out("No clients registered. Add one with: npm run client -- add --name \"Acme\" --redirect-uri https://acme.example/cb");
    return;
  }
  for (const client of clients) {
    out(`${client.id}  ${client.name}${client.isPublic ? "  (public)" : ""}`);
    for (const uri of client.redirectUris) out(`    redirect     ${uri}`);
    for (const uri of client.postLogoutRedirectUris) out(`    post-logout  ${uri}`);
    out(`    registered   ${client.createdAt.toISOString()}`);
  }
}

async function remove(args: string[]) {
  const clientId = args[0];
  if (!clientId || args.length > 1) fail("remove takes exactly one client id.");
  const { removeClient } = await import("@/lib/oidc/remove-client");
  const { removed } = await removeClient({ clientId });
  if (!removed) {
    process.stderr.write(`No client with id ${clientId}.\n`);
    process.exit(1);
  }
  out(`Removed ${clientId}: its tokens no longer work and users' consents to it are forgotten.`);
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
