// Entry point for compiled deployments (docker-compose's `migrate` service):
// `node dist/node/apps/launcher/src/cli.js --db setup`.
import { main } from './main';

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
