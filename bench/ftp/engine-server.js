'use strict';
/*
 * The bare engine as a server process: libs/ftp-protocol with the jailed
 * LocalFileSystem of libs/storage on the bench home, no database, no audit
 * spool, no quotas. Logins verify argon2id (the worker's parameters) once,
 * then remember the password that matched, as the worker's verified-password
 * cache does (else 10,000 idle sessions take minutes to log in). Started by bench/ftp/servers.js with its settings in argv[2] (JSON);
 * prints "listening <port>" when ready.
 */
const { readFileSync } = require('node:fs');
const path = require('node:path');

async function main() {
  const settings = JSON.parse(process.argv[2]);
  // The compiled Wharf the parent chose (and built) is named in the settings:
  // the parent's environment is not this process's (under Jest,
  // process.env changes stay in the test's sandbox), so deciding again here
  // could pick, and compile, another copy.
  const wharfRequire = (relative) => require(path.join(settings.codeDir, relative));
  const { FtpServer, tuneV8ForTransfers } = wharfRequire('libs/ftp-protocol/src/index.js');
  // As the worker's main() does (older builds, compiled before it existed, go without).
  tuneV8ForTransfers?.();
  const { LocalFileSystem } = wharfRequire('libs/storage/src/index.js');
  const { hashPassword, verifyPassword } = wharfRequire('libs/database/src/passwords.js');
  const hash = await hashPassword(settings.password);
  let verified = null; // the password that matched once
  const server = new FtpServer({
    host: '127.0.0.1',
    port: settings.port,
    passivePorts: { min: settings.passiveMin, max: settings.passiveMax },
    tls: {
      mode: 'explicit',
      key: readFileSync(settings.keyFile),
      cert: readFileSync(settings.certFile),
    },
    idleTimeoutMs: 3_600_000,
    loginTimeoutMs: 3_600_000,
    authenticator: {
      async authenticate(request) {
        const ok =
          request.username === settings.user &&
          (request.password === verified || (await verifyPassword(hash, request.password)));
        if (ok) {
          verified = request.password;
          return {
            ok: true,
            principal: {
              userId: 'bench',
              username: settings.user,
              fileSystem: new LocalFileSystem(settings.home),
            },
          };
        }
        return { ok: false, reason: 'bad-credentials', message: 'Login incorrect.' };
      },
    },
  });
  const { port } = await server.listen();
  process.stdout.write(`listening ${port}\n`);
  const stop = () => {
    server.close({ graceMs: 500 }).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
