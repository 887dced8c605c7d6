import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';

/**
 * The module boundaries (eslint.boundaries.mjs) refuse what they should and let the rest
 * through: linted as if the code sat at the given path, with only those rules on.
 */
const root = resolve(__dirname, '../..');
let eslint: ESLint;

beforeAll(async () => {
  const { boundaries } = (await import(pathToFileURL(resolve(root, 'eslint.boundaries.mjs')).href)) as { boundaries: () => Linter.Config[] };
  eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...boundaries()] });
});

async function refusals(path: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: resolve(root, path) });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('module boundaries', () => {
  it("refuses a feature importing another feature's internals", async () => {
    const found = await refusals('libs/market/src/quotes/probe.ts', "import { OrdersService } from '../orders/orders.service';\nexport const probe = OrdersService;\n");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/no-restricted-imports: .*libs\/market\/src\/orders offers other folders only/);
  });

  it('lets a feature import what another folder offers', async () => {
    const source = "import { checkOrder } from '../orders/order-terms';\nimport { planRequestOf } from '../planning/plan-request';\nexport const probe = [checkOrder, planRequestOf];\n";
    expect(await refusals('libs/market/src/quotes/probe.ts', source)).toEqual([]);
  });

  it('keeps core at the bottom of libs/market', async () => {
    expect(await refusals('libs/market/src/core/probe.ts', "import { OrdersRepository } from '../orders/orders.repository';\nexport const probe = OrdersRepository;\n")).toHaveLength(1);
  });

  it('refuses a lib importing a lib above it, and a deep import into a lib', async () => {
    expect(await refusals('libs/platform/src/probe.ts', "import { ApiModule } from '@cloudloom/market';\nexport const probe = ApiModule;\n")).toHaveLength(1);
    expect(await refusals('libs/contracts/src/probe.ts', "import { OrderEntity } from '@cloudloom/persistence';\nexport const probe = OrderEntity;\n")).toHaveLength(1);
    expect(await refusals('apps/api/src/probe.ts', "import { Clock } from '@cloudloom/market/src/core/clock';\nexport const probe = Clock;\n")).toHaveLength(1);
  });
});
