'use strict';
// FTP user provisioning over HTTP: POST /api/v1/ftp-users one at a time and
// several at once, and POST /api/v1/ftp-users/bulk. Every user gets a password,
// so every create pays one argon2id hash (PASSWORD_HASH_OPTIONS).
const { randomBytes } = require('node:crypto');

const { database, log, percentile, scenario } = require('./harness');

let serial = 0;
const newUser = () => ({
  username: `bench${(serial++).toString(36)}${randomBytes(3).toString('hex')}`,
  password: randomBytes(12).toString('base64url'),
});

async function post(env, path, body) {
  const response = await fetch(`${env.api.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${env.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 201)
    throw new Error(`POST ${path}: ${response.status} ${text.slice(0, 300)}`);
}

const seconds = (started) => Number(process.hrtime.bigint() - started) / 1e9;

async function runProvisioning(env, options) {
  const { hashPassword, PASSWORD_HASH_OPTIONS } = database();
  const { memoryCost, timeCost, parallelism } = PASSWORD_HASH_OPTIONS;
  const params = `argon2id m=${memoryCost} KiB, t=${timeCost}, p=${parallelism}`;

  const hashMs = [];
  for (let i = 0; i < 20; i++) {
    const started = process.hrtime.bigint();
    await hashPassword('correct horse battery staple');
    hashMs.push(Number((seconds(started) * 1000).toFixed(1)));
  }

  for (let i = 0; i < 3; i++) await post(env, '/api/v1/ftp-users', newUser());
  const singleMs = [];
  for (let i = 0; i < options.provisionSingle; i++) {
    const started = process.hrtime.bigint();
    await post(env, '/api/v1/ftp-users', newUser());
    singleMs.push(Number((seconds(started) * 1000).toFixed(1)));
  }
  const single = scenario(
    'provisioning: POST /ftp-users, one at a time',
    'ms/user',
    singleMs,
    `${params}; ${(1000 / percentile(singleMs, 50)).toFixed(1)} users/s at the median`,
  );
  log(`${single.name}: p50 ${single.median} ms`);

  const concurrency = 8;
  const concurrentRates = [];
  for (let round = 0; round < 3; round++) {
    const users = Array.from({ length: options.provisionConcurrent }, newUser);
    const started = process.hrtime.bigint();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < users.length) await post(env, '/api/v1/ftp-users', users[next++]);
      }),
    );
    concurrentRates.push(Number((users.length / seconds(started)).toFixed(1)));
  }
  const concurrent = scenario(
    `provisioning: POST /ftp-users, ${concurrency} concurrent`,
    'users/s',
    concurrentRates,
    `3 rounds of ${options.provisionConcurrent} users; ${params}`,
  );
  log(`${concurrent.name}: ${concurrent.median} users/s`);

  const bulkRates = [];
  for (let round = 0; round < 3; round++) {
    const users = Array.from({ length: options.provisionBulk }, newUser);
    const started = process.hrtime.bigint();
    await post(env, '/api/v1/ftp-users/bulk', { users });
    bulkRates.push(Number((users.length / seconds(started)).toFixed(1)));
  }
  const bulk = scenario(
    `provisioning: POST /ftp-users/bulk, ${options.provisionBulk} users`,
    'users/s',
    bulkRates,
    `3 requests of ${options.provisionBulk} users (JSON); ${params}`,
  );
  log(`${bulk.name}: ${bulk.median} users/s`);

  const hash = scenario(
    'provisioning: one argon2id hash in the bench process',
    'ms',
    hashMs,
    params,
  );
  return [single, concurrent, bulk, hash];
}

module.exports = { runProvisioning };
