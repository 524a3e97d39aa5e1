/**
 * `npm run twt -- <command>`: manage apps, trusted domains, secrets, agent
 * keys and visitors in the same store the server uses (DATABASE_URL, else
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

const USAGE = `usage: npm run twt -- <command> [options]
  apps:create  --name NAME --domain D [--domain D…] [--appid ID] [--secret S] [--greeting TEXT]
  apps:list
  apps:domains --appid ID [--add D…] [--remove D…]     (no --add/--remove: list them)
  apps:disable --appid ID      apps:enable --appid ID
  apps:secret  --appid ID [--secret S]                 (rotate the app secret)
  agents:create --name NAME [--appid ID] [--key K]     (no --appid: an agent of every app)
  agents:list                                          (deleted agents are marked)
  agents:delete --id N | --key K                       (revoke at once: REST 401, live sockets closed ${CLOSE.TOKEN_REVOKED})
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
      const appid = str('appid') ? appidOf(str('appid')) : null;
      if (appid && !(await data.apps.get(appid))) throw new UsageError(`no app ${appid}`);
      const key = str('key') ?? 'ak_' + randomId(24);
      if (!(await data.agents.create({ name, key, appid }))) throw new UsageError('that key is already in use (or belonged to a deleted agent: revoked keys are never taken again)');
      console.log(JSON.stringify({ name, appid, key }, null, 2));
      return;
    }
    case 'agents:list':
      for (const a of await data.agents.list()) console.log(`${a.id}\t${a.name}\t${a.appid ?? '(all apps)'}${a.revokedAt ? `\tdeleted ${a.revokedAt}` : ''}`);
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

main(process.argv.slice(2)).catch((err) => {
  console.error(`twt: ${err instanceof Error ? err.message : err}`);
  process.exit(err instanceof UsageError || (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? 2 : 1);
});
