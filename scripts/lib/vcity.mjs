// Connecting to Vcity chain with polkadot.js: the custom vcity_* RPC methods and a helper that
// submits a transaction and waits for its block, turning failures into readable errors.
import { ApiPromise, WsProvider } from '@polkadot/api';

/** Definitions of the vcity_* JSON-RPC methods, so `api.rpc.vcity.*` exists. */
export const vcityRpc = {
  vcity: {
    nodeInfo: {
      description: 'A compute node by DID (did:vcity:<id>) or by operator SS58 address; null if none',
      params: [
        { name: 'id', type: 'Text' },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'Json',
    },
    listNodes: {
      description: 'Compute nodes in id order matching a filter, one page at a time',
      params: [
        { name: 'filter', type: 'Json', isOptional: true },
        { name: 'page', type: 'Json', isOptional: true },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'Json',
    },
    task: {
      description: 'A task by id; null if none',
      params: [
        { name: 'id', type: 'u64' },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'Json',
    },
    tasksOfOwner: {
      description: "An owner's tasks in id order, one page at a time",
      params: [
        { name: 'owner', type: 'Text' },
        { name: 'page', type: 'Json', isOptional: true },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'Json',
    },
    tasksOfNode: {
      description: "A node's tasks in id order, one page at a time",
      params: [
        { name: 'node', type: 'u64' },
        { name: 'page', type: 'Json', isOptional: true },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'Json',
    },
    queuedTasks: {
      description: 'Tasks waiting for a node, oldest first',
      params: [
        { name: 'page', type: 'Json', isOptional: true },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'Json',
    },
    idleNodes: {
      description: 'Online compute nodes with free GPUs, in id order',
      params: [
        { name: 'page', type: 'Json', isOptional: true },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'Json',
    },
    quote: {
      description: 'Price and candidate nodes for a task before it is submitted',
      params: [
        { name: 'requirements', type: 'Json' },
        { name: 'seconds', type: 'u64' },
        { name: 'maxPricePerGpuHour', type: 'Text', isOptional: true },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'Json',
    },
    marketStats: {
      description: 'Network-wide market figures',
      params: [{ name: 'at', type: 'BlockHash', isOptional: true }],
      type: 'Json',
    },
    veLock: {
      description: "An account's veVCAI lock with its weight now; null if none",
      params: [
        { name: 'account', type: 'Text' },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'Json',
    },
    veWeight: {
      description: "An account's veVCAI weight now",
      params: [
        { name: 'account', type: 'Text' },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'Json',
    },
    veWeightAt: {
      description: "An account's weight in the start-of-day snapshot of a day (what votes use)",
      params: [
        { name: 'account', type: 'Text' },
        { name: 'day', type: 'u32' },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'Json',
    },
    veTotals: {
      description: 'Network-wide veVCAI figures: weights, VCAI locked, the distributor',
      params: [{ name: 'at', type: 'BlockHash', isOptional: true }],
      type: 'Json',
    },
    veTotalWeightAt: {
      description: 'The sum of all weights in the start-of-day snapshot of a day',
      params: [
        { name: 'day', type: 'u32' },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'Json',
    },
    vePendingRewards: {
      description: 'VCAI an account can claim now from the distributor',
      params: [
        { name: 'account', type: 'Text' },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'Json',
    },
    buybackTreasury: {
      description: "The buyback treasury's holdings, books since genesis and the pool's prices",
      params: [{ name: 'at', type: 'BlockHash', isOptional: true }],
      type: 'Json',
    },
    lastBuyback: {
      description: 'The last buyback round that swapped, with the price it paid; null before the first',
      params: [{ name: 'at', type: 'BlockHash', isOptional: true }],
      type: 'Json',
    },
    revenueOn: {
      description: 'USDV of protocol revenue recorded on a day; null for a day not begun or over a year old',
      params: [
        { name: 'day', type: 'u32' },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'Json',
    },
    buybackParams: {
      description: "The buyback rounds' parameters in force",
      params: [{ name: 'at', type: 'BlockHash', isOptional: true }],
      type: 'Json',
    },
    rewardsOverview: {
      description: 'The incentive pool now: open period, P_supply, balance, releases, carry, parameters',
      params: [{ name: 'at', type: 'BlockHash', isOptional: true }],
      type: 'Json',
    },
    supplyShareHistory: {
      description: 'P_supply and utilization of up to count periods from a period on, the open one last',
      params: [
        { name: 'from', type: 'u32' },
        { name: 'count', type: 'u32' },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'Json',
    },
    rewardPeriod: {
      description: 'What a closed period released and how it was shared; null for a period not yet closed',
      params: [
        { name: 'period', type: 'u32' },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'Json',
    },
    pendingNodeRewards: {
      description: "A node's unclaimed rewards of closed periods and whether its owner may claim now",
      params: [
        { name: 'node', type: 'u64' },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'Json',
    },
    pendingRebates: {
      description: "An account's unclaimed rebates of the last 520 closed periods, oldest first",
      params: [
        { name: 'account', type: 'Text' },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'Json',
    },
  },
};

/**
 * Every page of a paged vcity_* method (`vcity_queuedTasks`, `vcity_idleNodes`, ...), all read at
 * block `at` (default: the best block) so the pages form one consistent snapshot.
 */
export async function allPages(provider, method, params, field, at = undefined, limit = 500) {
  const items = [];
  let cursor;
  do {
    const page = await provider.send(method, [...params, { cursor, limit }, ...(at ? [at] : [])]);
    items.push(...page[field]);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return items;
}

/**
 * Length of the chain's day in milliseconds, a genesis parameter of the chain clock (24 hours
 * on `--dev`, a minute on `--chain dev-fast`).
 */
export async function dayLengthMs(api) {
  return (await api.query.chainClock.calendar()).dayMs.toBigInt();
}

/**
 * Connects to a Vcity node. `provider.send(method, params)` gives the raw JSON of any method;
 * `api.rpc.vcity.*` wraps the result in polkadot.js's Json codec.
 */
export async function connect(url) {
  const provider = new WsProvider(url);
  const api = await ApiPromise.create({ provider, rpc: vcityRpc, types: vcityTypes, noInitWarn: true });
  return { api, provider };
}

/**
 * polkadot.js types the `assetId` of the `ChargeAssetTxPayment` extension as `TAssetConversion`,
 * an XCM location unless told otherwise; on Vcity chain it is the AMM's asset kind.
 */
export const vcityTypes = {
  VcityAssetKind: { _enum: { Native: 'Null', WithId: 'u32' } },
  TAssetConversion: 'Option<VcityAssetKind>',
};

/** The readable name of a failed dispatch ("computeRegistry.OperatorInUse"). */
export function dispatchErrorName(api, dispatchError) {
  if (dispatchError.isModule) {
    const meta = api.registry.findMetaError(dispatchError.asModule);
    return `${meta.section}.${meta.name}`;
  }
  return dispatchError.toString();
}

/**
 * Signs and submits `tx`; resolves with the block's events of this extrinsic once it is in a
 * block, rejects if the pool refuses it or its dispatch fails. `options` go to `signAndSend`
 * (e.g. `{ assetId: { WithId: 1000 } }` pays the fee in USDV through the AMM).
 */
export function submit(api, tx, signer, options = {}) {
  return new Promise((resolve, reject) => {
    let unsubscribe = () => {};
    tx.signAndSend(signer, options, ({ status, events, dispatchError }) => {
      // Accepted by the pool but thrown out later: without this the caller would wait forever.
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        unsubscribe();
        reject(new Error(`transaction ${status.type.toLowerCase()} by the pool`));
        return;
      }
      if (!status.isInBlock) return;
      unsubscribe();
      if (dispatchError) {
        const error = new Error(`dispatch failed: ${dispatchErrorName(api, dispatchError)}`);
        error.dispatchError = dispatchErrorName(api, dispatchError);
        reject(error);
      } else {
        resolve({ blockHash: status.asInBlock, events: events.map(({ event }) => event) });
      }
    })
      .then((unsub) => { unsubscribe = unsub; })
      .catch(reject);
  });
}
