/**
 * Holds the data dir's dynalite in a process of its own for the load test, the way DynamoDB is a
 * service of its own in AWS: the API process then spends its CPU on the API, not on serving the
 * database. Prints `{endpoint, owner}` as one JSON line when ready and stops on SIGTERM. When some
 * other process already owns the store (a running `npm run serve` or batch), it reports that and exits.
 */
import { resolve } from 'node:path';
import { connectOrStartDynalite, ensureTables } from '../../local/dynalite';
import { tableNamesFor } from '../../lambdas/shared/tables';

const dataDir = resolve(process.env.FA_DATA_DIR || '.fa-data');
const dynamo = await connectOrStartDynalite(dataDir);
await ensureTables(dynamo.endpoint, tableNamesFor(process.env.FA_TABLE_PREFIX ?? ''));
process.stdout.write(`${JSON.stringify({ endpoint: dynamo.endpoint, owner: dynamo.owner, pid: process.pid })}\n`);
if (dynamo.owner) {
  const stop = () => void dynamo.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  await new Promise<never>(() => {});
}
