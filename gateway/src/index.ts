import { ConfigError } from '@measure-graph/db';
import { startTracing } from '@measure-graph/subgraph-platform/tracing';
import { loadGatewayConfig, startGateway } from './gateway.ts';

try {
  const config = loadGatewayConfig();
  const tracing = startTracing('measure-graph-gateway');
  const gateway = await startGateway(config);
  const shutdown = async () => {
    await gateway.stop();
    await tracing?.shutdown();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
} catch (err) {
  process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
  process.exit(1);
}
