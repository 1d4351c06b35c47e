import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { WharfConfig } from '@wharf/config';

import { WorkerRegistryService } from '../registry/worker-registry.service';
import { UserSessionsService } from '../users/user-sessions.service';
import { WORKER_CONFIG, WORKER_OPTIONS, type WorkerOptions } from '../worker.tokens';
import { FtpListeners } from './ftp-listeners';
import { planReconcile, toListenerSpec } from './listener-spec';
import { ServerCatalog } from './server-catalog';

/**
 * Makes the running listeners match the database (principle 1): at boot,
 * every WHARF_RECONCILE_SECONDS and on a ServerChanged nudge. State is always
 * recomputed from PostgreSQL, so a lost nudge is fixed by the next pass. Each
 * pass also re-checks the users of live sessions (a missed UserChanged nudge).
 * On SIGTERM it drains: listeners stop accepting, transfers get the grace
 * period, then every session gets 421.
 */
@Injectable()
export class ServerReconciler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ServerReconciler.name);
  private timer: NodeJS.Timeout | undefined;
  /** Passes run one at a time; a request during a pass queues exactly one more. */
  private current: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly catalog: ServerCatalog,
    private readonly listeners: FtpListeners,
    private readonly users: UserSessionsService,
    private readonly registry: WorkerRegistryService,
    @Inject(WORKER_CONFIG) private readonly config: WharfConfig,
    @Inject(WORKER_OPTIONS) private readonly options: WorkerOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.reconcile();
    this.timer = setInterval(
      () => void this.reconcile(),
      this.config.worker.reconcileSeconds * 1000,
    );
    this.timer.unref();
  }

  /** Runs a pass now (or right after the one in progress). Never throws. */
  reconcile(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.current) {
      this.again = true;
      return this.current;
    }
    this.current = (async () => {
      try {
        do {
          this.again = false;
          await this.pass();
        } while (this.again && !this.stopped);
      } finally {
        this.current = undefined;
      }
    })();
    return this.current;
  }

  private async pass(): Promise<void> {
    try {
      const rows = await this.catalog.serversFor(this.registry.workerId);
      if (this.stopped) return;
      const plan = planReconcile(this.listeners.running(), rows.map(toListenerSpec));
      // Stop first: a server moved to another port may free the one a new server wants.
      for (const id of plan.stop) void this.listeners.stop(id);
      for (const spec of plan.restart) await this.listeners.restart(spec);
      for (const spec of plan.start) await this.listeners.start(spec);
      for (const spec of plan.swapCertificate) this.listeners.swapCertificate(spec);
    } catch (error) {
      // Keep serving what runs; the next pass tries again.
      this.logger.warn(
        `reconcile failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    this.registry.setReport({ ...this.listeners.report() });
    await this.users.recheckLiveUsers();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.current;
    this.registry.setStatus('draining');
    await this.registry.beat();
    this.logger.log(`draining: transfers get ${this.options.drainGraceMs} ms, then 421`);
    await this.listeners.drainAll(this.options.drainGraceMs);
    this.registry.setReport({ servers: [], listeners: [] });
    this.logger.log('drained');
  }
}
