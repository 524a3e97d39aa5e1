/**
 * `npm run twt -- <command>`: manage apps, trusted domains, secrets, agent
 * accounts, their API keys, and visitors in the same store the server uses (DATABASE_URL, else
 * the PGlite directory TWT_DATA_DIR or .twt-data; with PGlite, stop the
 * server first: one process owns that directory).
 */
import { parseArgs } from 'node:util';
import { openStore } from './db/store.js';
import { migrate } from './db/migrations.js';
import { Data } from './data/index.js';
import { randomId } from './auth.js';
import { normalizeTrustedDomain } from './domains.js';
import { normalizeAppid } from './visitor-session.js';
import { acquireDataLock } from './data-lock.js';
import { readConfig } from './config.js';
import { CLOSE } from '../src/shared/wire-protocol.js';
import { normalizeEmail, normalizeName, type AgentListing } from './data/agents.js';
import { newAgentKey } from './data/agent-keys.js';
import { hashPassword, passwordProblem } from './passwords.js';
import { Refusal } from './refusal.js';

const USAGE = `usage: npm run twt -- <command> [options]
  apps:create  --name NAME --domain D [--domain D…] [--appid ID] [--secret S] [--greeting TEXT]
  apps:list
  apps:domains --appid ID [--add D…] [--remove D…]     (no --add/--remove: list them)
  apps:disable --appid ID      apps:enable --appid ID
  apps:secret  --appid ID [--secret S]                 (rotate the app secret)
  agents:create --email E --name NAME [--admin] [--app ID]
                                                       (a console account; password from stdin when piped, else prompted;
                                                        no --app: an agent of every app)
  agents:create --name NAME [--appid ID] [--key K]     (an integration agent: one API key, no sign-in)
  agents:list                                          (deactivated agents are marked)
  agents:reset-password --email E | --id N             (new password from stdin or prompt; its sessions end)
  agents:deactivate --email E | --id N                 (at once: sessions and keys end, REST 401, live sockets closed ${CLOSE.TOKEN_REVOKED})
  agents:delete --id N | --key K                       (the same, by id or by one of its keys)
  keys:create --email E | --id N [--label L]           (prints the new API key, shown this once)
  keys:list --email E | --id N
  keys:revoke --email E | --id N --key-id K            (that key only; the sockets it opened close)
  visitors:ban --uid VISITOR_UID [--unban]
  visitors:revoke --uid VISITOR_UID                    (invalidate its tokens)
Trusted domains: example.com, *.example.com (subdomains only), localhost, or a full origin https://x.example.com:8443.`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') return void console.log(USAGE);
  const { values } = parseArgs({
    args: rest,
    options: {
      name: { type: 'string' },
      appid: { type: 'string' },
      secret: { type: 'string' },
      greeting: { type: 'string' },
      domain: { type: 'string', multiple: true },
      add: { type: 'string', multiple: true },
      remove: { type: 'string', multiple: true },
      key: { type: 'string' },
      uid: { type: 'string' },
      unban: { type: 'boolean' },
      id: { type: 'string' },
      email: { type: 'string' },
      admin: { type: 'boolean' },
      app: { type: 'string' },
      label: { type: 'string' },
      'key-id': { type: 'string' },
    },
    strict: true,
  });

  const { databaseUrl, dataDir } = readConfig();
  const release = databaseUrl ? () => {} : acquireDataLock(dataDir);
  const store = await openStore(databaseUrl ? { databaseUrl } : { dataDir });
  try {
    await migrate(store);
    await run(new Data(store), command, values);
  } finally {
    await store.close();
    release();
  }
}

function domainsOf(list: string[] | undefined): string[] {
  return (list ?? []).flatMap((d) => d.split(',')).map((d) => {
    const n = normalizeTrustedDomain(d);
    if (!n) throw new UsageError(`not a valid trusted domain: ${d}`);
    return n;
  });
}

function appidOf(v: string | undefined): string {
  const id = normalizeAppid(v);
  if (!id) throw new UsageError('--appid is required: lowercase letters, digits, - and _');
  return id;
}

type Values = { [k: string]: string | boolean | string[] | undefined };

async function run(data: Data, command: string, v: Values): Promise<void> {
  const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  switch (command) {
    case 'apps:create': {
      const name = str('name');
      if (!name) throw new UsageError('--name is required');
      const domains = domainsOf(v.domain as string[] | undefined);
      if (!domains.length) throw new UsageError('at least one --domain is required');
      const appid = str('appid') ? appidOf(str('appid')) : name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) + '-' + randomId(4).toLowerCase().replace(/[^a-z0-9]/g, '0');
      const secret = str('secret') ?? randomId(24);
      if (!(await data.apps.create({ appid, name, secret, greeting: str('greeting') ?? '', domains }))) throw new UsageError(`app ${appid} already exists`);
      console.log(JSON.stringify({ appid, name, secret, domains }, null, 2));
      return;
    }
    case 'apps:list':
      for (const a of await data.apps.list()) console.log(`${a.appid}\t${a.disabled ? 'disabled' : 'enabled'}\t${a.name}\t${a.domains.join(',')}`);
      return;
    case 'apps:domains': {
      const appid = appidOf(str('appid'));
      if (!(await data.apps.get(appid))) throw new UsageError(`no app ${appid}`);
      await data.apps.setDomains(appid, domainsOf(v.add as string[] | undefined), domainsOf(v.remove as string[] | undefined));
      console.log((await data.apps.get(appid))!.domains.join('\n'));
      return;
    }
    case 'apps:disable':
    case 'apps:enable': {
      const appid = appidOf(str('appid'));
      if (!(await data.apps.setDisabled(appid, command === 'apps:disable'))) throw new UsageError(`no app ${appid}`);
      console.log(`${appid} ${command === 'apps:disable' ? 'disabled' : 'enabled'}`);
      return;
    }
    case 'apps:secret': {
      const appid = appidOf(str('appid'));
      const secret = str('secret') ?? randomId(24);
      if (!(await data.apps.setSecret(appid, secret))) throw new UsageError(`no app ${appid}`);
      console.log(secret);
      return;
    }
    case 'agents:create': {
      const name = str('name');
      if (!name) throw new UsageError('--name is required');
      if (str('email') !== undefined) {
        const email = normalizeEmail(str('email'));
        if (!email) throw new UsageError('--email must be an email address');
        const displayName = normalizeName(name);
        if (!displayName) throw new UsageError('--name must be 1 to 100 characters');
        const appid = str('app') ?? str('appid') ? appidOf(str('app') ?? str('appid')) : null;
        if (appid && !(await data.apps.get(appid))) throw new UsageError(`no app ${appid}`);
        const password = await newPassword();
        const agent = await data.agents
          .createAccount({ email, name: displayName, passwordHash: await hashPassword(password), role: v.admin ? 'admin' : 'agent', appid })
          .catch((err) => {
            throw err instanceof Refusal ? new UsageError(`${email}: ${err.message}`) : err;
          });
        console.log(JSON.stringify({ id: agent.id, email, name: agent.name, role: agent.role, appid }, null, 2));
        return;
      }
      const appid = str('appid') ? appidOf(str('appid')) : null;
      if (appid && !(await data.apps.get(appid))) throw new UsageError(`no app ${appid}`);
      const key = str('key') ?? newAgentKey();
      if (!(await data.agents.create({ name, key, appid }))) throw new UsageError('that key is already in use (or belonged to a deleted agent: revoked keys are never taken again)');
      console.log(JSON.stringify({ name, appid, key }, null, 2));
      return;
    }
    case 'agents:reset-password': {
      const agent = await namedAgent(data, v);
      const password = await newPassword();
      if (!(await data.agents.setPassword(agent.id, await hashPassword(password)))) throw new UsageError(`agent ${agent.id} is deactivated`);
      console.log(`password of agent ${agent.id} (${agent.email ?? agent.name}) changed; its console sessions ended`);
      return;
    }
    case 'agents:deactivate': {
      const agent = await namedAgent(data, v);
      const r = (await data.agents.deactivate(agent.id))!;
      console.log(r.already ? `agent ${agent.id} was already deactivated at ${r.revokedAt}; revoke announced again` : `deactivated agent ${agent.id} (${agent.email ?? agent.name}): its sessions and keys ended`);
      return;
    }
    case 'keys:create': {
      const agent = await namedAgent(data, v);
      const created = await data.agentKeys.create(agent.id, str('label') ?? '');
      if (!created) throw new UsageError(`agent ${agent.id} is deactivated`);
      console.log(JSON.stringify({ agent: agent.id, keyId: created.id, key: created.key }, null, 2));
      return;
    }
    case 'keys:list': {
      const agent = await namedAgent(data, v);
      for (const k of await data.agentKeys.list(agent.id)) {
        console.log(`${k.id}	${k.label || '(no label)'}	created ${k.createdAt}	${k.lastUsedAt ? `used ${k.lastUsedAt}` : 'never used'}${k.revokedAt ? `	revoked ${k.revokedAt}` : ''}`);
      }
      return;
    }
    case 'keys:revoke': {
      const agent = await namedAgent(data, v);
      const keyId = str('key-id');
      if (!keyId || !/^[1-9]\d{0,14}$/.test(keyId)) throw new UsageError('--key-id N is required (see keys:list)');
      if (!(await data.agentKeys.revoke(agent.id, Number(keyId)))) throw new UsageError(`agent ${agent.id} has no live key ${keyId}`);
      console.log(`revoked key ${keyId} of agent ${agent.id}`);
      return;
    }
    case 'agents:list':
      for (const a of await data.agents.list()) console.log(`${a.id}\t${a.name}\t${a.email ?? '(no sign-in)'}\t${a.role}\t${a.appid ?? '(all apps)'}${a.revokedAt ? `\tdeleted ${a.revokedAt}` : ''}`);
      return;
    case 'agents:delete': {
      const id = str('id');
      const key = str('key');
      if ((id === undefined) === (key === undefined)) throw new UsageError('give one of --id N or --key K');
      if (id !== undefined && !/^[1-9]\d{0,14}$/.test(id)) throw new UsageError(`--id must be an agent id (see agents:list), not ${JSON.stringify(id)}`);
      if (key !== undefined && !key) throw new UsageError('--key must not be empty');
      const r = await data.agents.delete(id !== undefined ? { id: Number(id) } : { key: key! });
      if (!r) throw new UsageError(id !== undefined ? `no agent with id ${id}` : 'no agent has that key');
      const who = `agent ${r.agent.id} (${r.agent.name}, ${r.agent.appid ?? 'all apps'})`;
      console.log(
        r.already
          ? `${who} was already deleted at ${r.revokedAt}; revoke announced again to running servers`
          : `deleted ${who}: key revoked; running servers refuse its REST calls (401) and close its live sockets (${CLOSE.TOKEN_REVOKED}) now`,
      );
      return;
    }
    case 'visitors:ban':
    case 'visitors:revoke': {
      const uid = str('uid');
      if (!uid) throw new UsageError('--uid is required');
      const ok = command === 'visitors:ban' ? await data.visitors.setBanned(uid, !v.unban) : await data.visitors.revokeTokens(uid);
      if (!ok) throw new UsageError(`no visitor ${uid}`);
      console.log('ok');
      return;
    }
    default:
      throw new UsageError(`unknown command ${command}\n${USAGE}`);
  }
}

/** The agent named by --email or --id (deactivated ones too). */
async function namedAgent(data: Data, v: Values): Promise<AgentListing> {
  const email = typeof v.email === 'string' ? normalizeEmail(v.email) : null;
  const id = typeof v.id === 'string' ? v.id : undefined;
  if ((email === null) === (id === undefined)) throw new UsageError('give one of --email E or --id N');
  if (id !== undefined && !/^[1-9]\d{0,14}$/.test(id)) throw new UsageError(`--id must be an agent id (see agents:list), not ${JSON.stringify(id)}`);
  const agent = (await data.agents.list()).find((a) => (email !== null ? a.email === email : a.id === Number(id)));
  if (!agent) throw new UsageError(email !== null ? `no agent with email ${email}` : `no agent with id ${id}`);
  return agent;
}

/**
 * A new password: the first line of stdin when it is piped (scripts,
 * `printf %s "$PW" | npm run twt -- …`), else typed twice at a prompt that
 * does not echo. Checked against the password rules.
 */
async function newPassword(): Promise<string> {
  let password: string;
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    password = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  } else {
    password = await promptHidden('Password: ');
    if ((await promptHidden('Password again: ')) !== password) throw new UsageError('the two passwords differ');
  }
  const bad = passwordProblem(password);
  if (bad) throw new UsageError(bad);
  return password;
}

/** Reads one line from the terminal without echoing it. */
function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  let line = '';
  return new Promise((ok, fail) => {
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      err ? fail(err) : ok(line);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new UsageError('cancelled'));
        if (ch === '\u007f' || ch === '\b') line = line.slice(0, -1);
        else if (ch >= ' ') line += ch;
      }
    };
    stdin.on('data', onData);
  });
}

main(process.argv.slice(2)).catch((err) => {
  console.error(`twt: ${err instanceof Error ? err.message : err}`);
  process.exit(err instanceof UsageError || (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? 2 : 1);
});
