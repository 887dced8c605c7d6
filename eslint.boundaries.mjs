/**
 * Module boundaries, enforced by ESLint's no-restricted-imports (eslint.config.mjs applies them;
 * tests/boundaries/boundaries.spec.ts shows they refuse what they should).
 *
 * 1. The libs stack: apps -> market -> persistence -> platform -> contracts -> matching (the
 *    planner, importing nothing; contracts takes only its spec types). A lib never imports a lib above it.
 * 2. Inside libs/market, each folder offers the others only the files listed here; everything
 *    else is the folder's own. `core` imports no other folder.
 */

/** Into another lib only through its index (`@cloudloom/<lib>`). */
const LIB_INDEX = { group: ['@cloudloom/*/*', '../../libs/*', '../../../libs/*'], message: 'Import a lib through its public index (@cloudloom/<lib>).' };

/** Which libs each lib may import. */
const LIB_DEPENDS = {
  // the view shapes use the planner's spec types (type imports; matching depends on nothing)
  contracts: ['matching'],
  matching: [],
  platform: ['contracts'],
  persistence: ['matching', 'platform', 'contracts'],
  market: ['persistence', 'platform', 'matching', 'contracts'],
};
const LIBS = Object.keys(LIB_DEPENDS);

/** libs/market: the files of each folder that other folders may import (without extension). */
export const MARKET_PUBLIC = {
  attachments: [],
  allocations: ['allocations.repository', 'counters.repository', 'forecast', 'ledger', 'match-writes', 'stage-forecast'],
  bootstrap: [],
  core: ['actor', 'clock', 'idempotency-key', 'ids', 'metric-counts', 'openapi-examples', 'serial-batcher', 'tokens'],
  events: ['actors', 'event-streams', 'events.module', 'events.writer'],
  health: [],
  imports: ['columns', 'imports.dto', 'imports.view', 'sheet-import', 'template', 'upload'],
  identity: ['api-key', 'identity.module', 'identity.service', 'principal'],
  jobs: ['job-queue'],
  lifecycle: ['lifecycle'],
  lines: ['capacity-change'],
  lots: [],
  mail: ['mail.module', 'mailer', 'templates'],
  observability: ['audit', 'fairness'],
  offers: ['offers.module', 'offers.service'],
  orders: ['order-search', 'order-terms', 'order.view', 'orders.dto', 'orders.repository', 'price-approval.service', 'style-order.dto', 'style-terms'],
  people: ['event-mail.module', 'people.controller', 'people.dto', 'people.module', 'people.service', 'person.view', 'secrets', 'session-cookie', 'sessions.controller', 'sessions.service'],
  planning: ['factory-history', 'fairness-policy', 'market-snapshot', 'plan-request', 'planning.module', 'sewing-calibrations'],
  production: ['production.module', 'production.service'],
  quotes: [],
  sam: ['sam.dto'],
  radar: ['alerts', 'radar.module', 'rollups'],
  seed: [],
  telemetry: ['ingest-telemetry.handler', 'loom-capacity', 'telemetry.module'],
  testing: ['service-fixture'],
  webhooks: ['deliver-webhook.handler', 'webhooks.module'],
  worker: ['match-order.handler', 'sweep.handler', 'worker.module'],
};

/** Folders that put modules together as api.module.ts does (the services' test fixture): they may import any file. */
const ASSEMBLERS = new Set(['testing']);

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `../<folder>/<file>` for a file the folder does not offer. */
function internalsOf(folder) {
  const offered = MARKET_PUBLIC[folder].map((f) => `${escape(f)}(\\.js)?$`);
  return {
    regex: `^\\.\\./${escape(folder)}/${offered.length ? `(?!(${offered.join('|')}))` : ''}`,
    message: `libs/market/src/${folder} offers other folders only ${MARKET_PUBLIC[folder].join(', ') || 'nothing'} (eslint.boundaries.mjs); the rest is its own.`,
  };
}

/** The flat-config blocks: every file, then one per lib, then one per libs/market folder (a later block's patterns replace an earlier one's, so each repeats LIB_INDEX). */
export function boundaries() {
  const everywhere = { files: ['**/*.ts', '**/*.tsx'], rules: { 'no-restricted-imports': ['error', { patterns: [LIB_INDEX] }] } };
  const libBlocks = LIBS.map((lib) => {
    const above = LIBS.filter((other) => other !== lib && !LIB_DEPENDS[lib].includes(other));
    const patterns = [LIB_INDEX];
    if (above.length) patterns.push({ group: above.map((other) => `@cloudloom/${other}`), message: `libs/${lib} may import only ${LIB_DEPENDS[lib].map((d) => `@cloudloom/${d}`).join(', ') || 'no other lib'}.` });
    return { files: [`libs/${lib}/**/*.ts`], rules: { 'no-restricted-imports': ['error', { patterns }] } };
  });
  const marketBlocks = Object.keys(MARKET_PUBLIC).filter((folder) => !ASSEMBLERS.has(folder)).map((folder) => {
    const patterns = [LIB_INDEX, { group: ['@cloudloom/market'], message: 'libs/market imports its own files, not its index.' }];
    if (folder === 'core') patterns.push({ regex: '^\\.\\./', message: 'libs/market/src/core is the bottom layer: it imports no other folder.' });
    else for (const other of Object.keys(MARKET_PUBLIC)) if (other !== folder) patterns.push(internalsOf(other));
    return { files: [`libs/market/src/${folder}/**/*.ts`], rules: { 'no-restricted-imports': ['error', { patterns }] } };
  });
  return [everywhere, ...libBlocks, ...marketBlocks];
}
