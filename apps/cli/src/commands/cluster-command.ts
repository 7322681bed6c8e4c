// dje namespace move | distribute, dje cluster rebalance — where namespaces live on a Citus cluster.
import type { Command } from 'commander';
import { commandContext, type RunContext } from '../command-context.js';
import { examples } from '../help-text.js';
import { wholeNumber } from '../option-parsers.js';

/** `dje namespace move <namespace> --to host:port`: moves a namespace's shards to a Citus worker. */
export function registerNamespaceMove(parent: Command, run: RunContext): void {
  parent
    .command('move')
    .description(
      "move a namespace to another worker of a Citus cluster (Citus's shard move: rows and indexes kept)",
    )
    .argument('<namespace>', 'namespace to move')
    .requiredOption('--to <host:port>', 'the worker to move it to, as listed by `dje namespace list`')
    .addHelpText(
      'after',
      examples([
        'dje namespace move tenant_42 --to 10.0.0.3:5432',
        'dje namespace move tenant_42 --to 10.0.0.3:5432 --json',
      ]),
    )
    .action(async (name: string, options: { readonly to: string }, command: Command) => {
      const context = commandContext(run, command);
      const { pipeline } = await context.openSession();
      const result = await pipeline.moveNamespace(name, { to: options.to });
      context.output.result(result, (move) =>
        move.moved_shards === 0
          ? `Namespace ${move.namespace} is already on ${move.to}; nothing moved.`
          : `Moved namespace ${move.namespace} from ${move.from.join(', ')} to ${move.to} (${move.moved_shards} shard${move.moved_shards === 1 ? '' : 's'}).`,
      );
    });
}

/** `dje namespace distribute <namespace> --shards N`: hash-distributes a large namespace. */
export function registerNamespaceDistribute(parent: Command, run: RunContext): void {
  parent
    .command('distribute')
    .description(
      'spread one large namespace over N shards on the Citus workers (hash on chunk_id, an ANN index per shard; searches fan out and merge)',
    )
    .argument('<namespace>', 'namespace to distribute')
    .requiredOption('--shards <count>', 'number of shards, 2 or more', wholeNumber({ minimum: 2 }))
    .addHelpText('after', examples(['dje namespace distribute big_tenant --shards 8']))
    .action(async (name: string, options: { readonly shards: number }, command: Command) => {
      const context = commandContext(run, command);
      const { pipeline } = await context.openSession();
      const result = await pipeline.distributeNamespace(name, { shards: options.shards });
      context.output.result(
        result,
        (done) =>
          `Distributed namespace ${done.namespace} over ${done.shard_count} shards on ${done.nodes.join(', ')}.`,
      );
    });
}

/** `dje cluster rebalance`: Citus's rebalancer, waited for. */
export function registerClusterCommand(program: Command, run: RunContext): void {
  const cluster = program
    .command('cluster')
    .description('a Citus cluster as a whole: spread namespaces over the workers');
  cluster
    .command('rebalance')
    .description(
      "run Citus's shard rebalancer and wait for it, so the workers hold about as many namespaces each",
    )
    .addHelpText('after', examples(['dje cluster rebalance', 'dje cluster rebalance --json']))
    .action(async (_options: unknown, command: Command) => {
      const context = commandContext(run, command);
      const { pipeline } = await context.openSession();
      const result = await pipeline.rebalanceCluster();
      context.output.result(result, (rebalance) =>
        rebalance.moves === 0
          ? 'The cluster is balanced; nothing moved.'
          : `Rebalanced: ${rebalance.moves} shard move${rebalance.moves === 1 ? '' : 's'} (${rebalance.tables.join(', ')}).`,
      );
    });
}
