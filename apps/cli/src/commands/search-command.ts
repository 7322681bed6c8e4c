// dje search "<query>": the most similar chunks, optionally within a collection and filtered.
import type { ModePlan, SearchHit, SearchPlan } from '@dynamic-embeddings/pipeline';
// The light subpath: the package's root would load the database drivers on every CLI start.
import {
  DEFAULT_SEARCH_MODE,
  SEARCH_MODES,
  type SearchMode,
} from '@dynamic-embeddings/pipeline/search-modes';
import { type Command, Option } from 'commander';
import { buildFilter } from '../build-filter.js';
import { commandContext, type RunContext } from '../command-context.js';
import { excerpt } from '../format-values.js';
import { examples } from '../help-text.js';
import { collect, decimalNumber, wholeNumber } from '../option-parsers.js';

interface SearchCommandOptions {
  readonly collection?: string;
  readonly limit: number;
  readonly threshold: number;
  readonly filter?: string[];
  readonly where?: string;
  readonly exact?: boolean;
  readonly explain?: boolean;
  readonly mode?: SearchMode;
}

/** A keyword or hybrid plan in words: each leg's, and the fusion. */
function describeModePlan(plan: ModePlan): string {
  const { keyword } = plan;
  const parsed = keyword.tsquery === '' ? 'no words to match' : keyword.tsquery;
  const lines = [
    `keyword leg: ${keyword.matched_rows} row(s) matched ${parsed} (text search configuration ${keyword.text_search_config})`,
  ];
  if (plan.vector !== undefined) {
    lines.push(`vector leg: ${describePlan(plan.vector)}`);
    lines.push(
      `fused by RRF: k=${plan.rrf_k}, weights vector=${plan.weights?.vector} keyword=${plan.weights?.keyword}`,
    );
  }
  return [`mode: ${plan.mode}`, ...lines].join('\n');
}

/** The plan in words: what ran, why, and with which settings. */
export function describePlan(plan: SearchPlan | ModePlan): string {
  if ('mode' in plan) return describeModePlan(plan);
  const why: Record<SearchPlan['reason'], string> = {
    requested: 'exact search was requested',
    no_index: 'the namespace has no ANN index yet',
    unfiltered: 'no filter',
    few_matching_rows: `${plan.matching_rows} row(s) match the filters, at most the exact cutoff of ${plan.exact_cutoff}`,
    many_matching_rows: `more than ${plan.exact_cutoff} rows (the exact cutoff) match the filters; sized for selectivity ≥ ${plan.assumed_selectivity?.toPrecision(2)}`,
  };
  const strategy =
    plan.strategy === 'exact' ? 'exact (every matching row compared)' : `${plan.index_type} index`;
  const settings = Object.entries(plan.settings).map(([name, value]) => `${name}=${value}`);
  return [
    `plan: ${strategy}, because ${why[plan.reason]}`,
    ...(settings.length === 0 ? [] : [`settings: ${settings.join(' ')}`]),
    ...(plan.exact_fallback ? ['the index scan came back short, so the search ran again exactly'] : []),
  ].join('\n');
}

/** Where each leg ranked a keyword or hybrid hit (nothing for a vector hit). */
function legRanks(hit: SearchHit): string {
  if (hit.score === undefined) return '';
  const legs = [
    hit.vector_rank === undefined ? undefined : `vector #${hit.vector_rank}`,
    hit.keyword_rank === undefined ? undefined : `keyword #${hit.keyword_rank}`,
  ].filter((leg) => leg !== undefined);
  return `  (${legs.join(', ')})`;
}

export function registerSearchCommand(program: Command, run: RunContext): void {
  program
    .command('search')
    .description('find the chunks that best match a query, by meaning and by exact words (see --mode)')
    .argument('<query>', 'what to look for, in words')
    .option('--collection <name>', 'search only this collection (default: every collection of the namespace)')
    .option('--limit <n>', 'most results to return (1–1000)', wholeNumber({ minimum: 1, maximum: 1000 }), 10)
    .option(
      '--threshold <similarity>',
      'least cosine similarity a result needs (-1 to 1)',
      decimalNumber({ minimum: -1, maximum: 1 }),
      0,
    )
    .option(
      '--filter <key=value>',
      'only chunks whose column matches; repeat to AND several. Numbers and true/false are typed ("…" keeps a string); dotted keys nest: depth_level.$gte=2, metadata.region=EU',
      collect,
    )
    .option(
      '--where <json>',
      'a JSON filter over document_id, strategy, content_type, path, depth_level, hierarchy_level, is_leaf, contains_arrays, semantic_density, domain_tags, metadata with $eq $ne $in $nin $gt $gte $lt $lte $and $or (AND-ed with --filter)',
    )
    .option(
      '--exact',
      'compare with every matching chunk instead of using the ANN index: perfect recall, slower on large namespaces (use with selective filters)',
    )
    .addOption(
      new Option(
        '--mode <mode>',
        `hybrid: meaning and exact words, fused (finds ids like cmp_1042 and paraphrases); vector: meaning only; keyword: the words only ("quoted phrase", -exclude, or) (default: ${DEFAULT_SEARCH_MODE})`,
      ).choices(SEARCH_MODES),
    )
    .option(
      '--explain',
      'also show how the search ran: exact or through the index, how many rows the filters match, the index settings (with --json: { results, plan })',
    )
    .addHelpText(
      'after',
      examples([
        'dje search "mobile banners with high CTR in Norway" --collection campaigns',
        'dje search "low battery" --limit 3 --threshold 0.3 --json',
        'dje search "cmp_1042" --mode keyword',
        'dje search \'"running shoe" -trail\' --mode hybrid --explain',
        'dje search "revenue" --filter strategy=hierarchical --filter is_leaf=true',
        `dje search "sensor" --where '{"depth_level":{"$gte":2},"content_type":{"$in":["object","array_slice"]}}'`,
        'dje search "headlamp" --filter metadata.category=outdoor --exact',
        'dje search "headlamp" --filter metadata.category=outdoor --explain',
      ]),
    )
    .action(async (query: string, options: SearchCommandOptions, command: Command) => {
      const context = commandContext(run, command);
      const filters = buildFilter({ filters: options.filter ?? [], where: options.where });
      const { pipeline } = await context.openSession({ embeddingsFor: context.globals.namespace });
      const { hits, plan } = await pipeline.searchWithPlan(query, {
        collectionName: options.collection,
        limit: options.limit,
        threshold: options.threshold,
        filters,
        ...(options.exact === true ? { exact: true } : {}),
        ...(options.mode === undefined ? {} : { mode: options.mode }),
        signal: context.signal,
      });
      const { colors } = context.output;
      if (options.explain === true) {
        context.output.result({ results: hits, plan }, (value: { results: SearchHit[] }) =>
          [formatHits(value.results), colors.dim(describePlan(plan))].join('\n\n'),
        );
        return;
      }
      context.output.result(hits, formatHits);

      function formatHits(rows: SearchHit[]): string {
        if (rows.length === 0) {
          return `No results in namespace ${context.globals.namespace}${options.collection === undefined ? '' : `, collection ${options.collection}`} (similarity ≥ ${options.threshold}${filters === undefined ? '' : ', with the filter'}).`;
        }
        const width = Math.max(40, (context.io.stdout.columns ?? 100) - 6);
        return rows
          .map((hit, index) =>
            [
              `${colors.bold(`${index + 1}.`)} ${colors.green(hit.similarity.toFixed(4))}  ${colors.cyan(hit.document_id)}  ${hit.collection_name}  ${colors.dim(hit.path ?? '$')}  ${colors.dim(`[${hit.strategy}, ${hit.content_type}]`)}${colors.dim(legRanks(hit))}`,
              excerpt(hit.text, { maxLines: 4, width, indent: '    ' }),
            ].join('\n'),
          )
          .join('\n\n');
      }
    });
}
