// Connecting to Vcity chain with polkadot.js, reading its vcity_* RPC methods, and a helper that
// submits a transaction and waits for its block, turning failures into readable errors.
//
// The vcity_* methods (docs/rpc.md) are called through the provider, `provider.send('vcity_task',
// [id])`, which answers their plain JSON (`null` stays `null`): polkadot.js needs no copy of their
// definitions for that.
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';

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

/** Connects to a Vcity node; `provider.send(method, params)` gives the JSON of any method. */
export async function connect(url) {
  const provider = new WsProvider(url);
  const api = await ApiPromise.create({ provider, types: vcityTypes, noInitWarn: true });
  return { api, provider };
}

/** A keyring of sr25519 keys shown with the chain's SS58 prefix (42), as accounts sign here. */
export function sr25519Keyring() {
  return new Keyring({ type: 'sr25519', ss58Format: 42 });
}

/**
 * polkadot.js types the `assetId` of the `ChargeAssetTxPayment` extension as `TAssetConversion`,
 * an XCM location unless told otherwise; on Vcity chain it is the AMM's asset kind.
 */
export const vcityTypes = {
  VcityAssetKind: { _enum: { Native: 'Null', WithId: 'u32' } },
  TAssetConversion: 'Option<VcityAssetKind>',
};

/**
 * The reason inside an error that carries one (the market's `Rejected(reason)`): the second byte
 * of the module error is the inner enum's variant, named from the metadata.
 */
function nestedErrorName(api, moduleError) {
  const variantOf = (typeId, index) => {
    const type = api.registry.lookup.getSiType(typeId);
    return type.def.isVariant ? type.def.asVariant.variants.find((v) => v.index.toNumber() === index) : undefined;
  };
  const pallet = api.runtimeMetadata.asLatest.pallets.find((p) => p.index.eq(moduleError.index));
  if (!pallet || pallet.errors.isNone) return '';
  const outer = variantOf(pallet.errors.unwrap().type, moduleError.error[0]);
  if (!outer || outer.fields.length !== 1) return '';
  const inner = variantOf(outer.fields[0].type, moduleError.error[1]);
  return inner ? `(${inner.name.toString()})` : '';
}

/**
 * The readable name of a failed dispatch ("computeRegistry.OperatorInUse",
 * "computeMarket.Rejected(TooFar)").
 */
export function dispatchErrorName(api, dispatchError) {
  if (dispatchError.isModule) {
    const meta = api.registry.findMetaError(dispatchError.asModule);
    return `${meta.section}.${meta.name}${nestedErrorName(api, dispatchError.asModule)}`;
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
