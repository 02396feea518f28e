import { ConfigError } from '@measure-graph/db';
import { loadGatewayConfig, startGateway } from './gateway.ts';

try {
  const gateway = await startGateway(loadGatewayConfig());
  const shutdown = async () => {
    await gateway.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
} catch (err) {
  process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
  process.exit(1);
}
