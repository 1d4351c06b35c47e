import { setTimeout as sleep } from 'node:timers/promises';

import type { Principal } from '../ports/authenticator.port';
import { Reply } from '../replies';
import type { FtpSession } from '../session/ftp-session';
import type { FtpCommand } from './command';

/**
 * A principal the authenticator accepted but the session will not use: its
 * onLogout hook undoes what authenticate() set up for it (session records,
 * counters), which teardown never would: the session never logged in.
 */
async function discardPrincipal(session: FtpSession, principal: Principal): Promise<void> {
  try {
    await principal.policy?.onLogout?.();
  } catch (error) {
    session.server.logger.warn('onLogout hook failed', {
      sessionId: session.id,
      error: String(error),
    });
  }
}

/**
 * RFC 959 §4.1.1. A failed password is answered after a delay; after
 * `maxLoginFailures` the session gets 421 and is closed. The same reply is
 * used whether or not the user exists.
 */
export const passCommand: FtpCommand = {
  name: 'PASS',
  needsAuth: false,
  argument: 'optional',
  kind: 'normal',
  help: 'PASS <password>',
  async handler(session, arg) {
    if (session.loggedIn) {
      session.reply(Reply.LOGGED_IN, 'Already logged in.');
      return;
    }
    const username = session.pendingUser;
    if (username === null) {
      session.reply(Reply.BAD_SEQUENCE, 'Login with USER first.');
      return;
    }
    session.pendingUser = null;
    const options = session.server.options;
    const result = await options.authenticator.authenticate({
      sessionId: session.id,
      username,
      password: arg,
      client: session.client,
      tls: { secure: session.secure, version: session.tlsVersion },
      host: session.host,
    });
    if (session.closed) {
      // The client left while authenticate() ran.
      if (result.ok) await discardPrincipal(session, result.principal);
      return;
    }
    if (result.ok) {
      // requireTls is a property of the principal, known only after authenticate().
      if (result.principal.requireTls && !session.secure) {
        await discardPrincipal(session, result.principal);
        await session.emit('login-failed', 'PASS', {
          username,
          outcome: 'failed',
          reason: 'tls-required',
        });
        session.reply(Reply.POLICY_DENIED, 'Policy requires TLS: use AUTH TLS before USER.');
        return;
      }
      session.loggedInAs(result.principal);
      await session.emit('login', 'PASS', { outcome: 'ok' });
      session.reply(Reply.LOGGED_IN, 'Login successful.');
      return;
    }
    await session.emit('login-failed', 'PASS', {
      username,
      outcome: 'failed',
      reason: result.reason,
    });
    if (result.reason === 'unavailable') {
      session.closeWith(Reply.SERVICE_UNAVAILABLE, result.message);
      return;
    }
    session.loginFailures++;
    await sleep(options.failedLoginDelayMs);
    if (session.closed) return;
    if (session.loginFailures >= options.maxLoginFailures) {
      session.closeWith(Reply.SERVICE_UNAVAILABLE, 'Too many failed logins: closing connection.');
      return;
    }
    session.reply(
      result.reason === 'tls-required' ? Reply.POLICY_DENIED : Reply.NOT_LOGGED_IN,
      result.message,
    );
  },
};
