// Accounts of the load, their nonces kept here rather than asked of the node, and signing with
// every signing input given, so a transaction is built without a round trip.
//
// Asking the node for each nonce (what `signAndSend` does) costs a round trip per transaction
// and races with transactions still in flight; a load that offers hundreds a second keeps the
// nonces itself and only asks the node again when the pool says they went wrong.
import { sr25519Keyring } from '../lib/vcity.mjs';

export class Account {
  constructor(pair, label) {
    this.pair = pair;
    this.address = pair.address;
    this.label = label;
    this.nonce = 0;
    // A nonce whose transaction never reached a block: the next one must use it, or every later
    // transaction of the account waits in the pool's future queue for good.
    this.refill = null;
    // While a submission is on its way, no other is signed: if the pool refuses it, its nonce
    // is the last one taken and can be given back.
    this.busy = false;
    // A nonce the pool's count once put below ours (`fillGaps` waits for a second look).
    this.suspect = null;
    this.free = 0n;
  }

  takeNonce() {
    if (this.refill !== null) {
      const nonce = this.refill;
      this.refill = null;
      return nonce;
    }
    const nonce = this.nonce;
    this.nonce += 1;
    return nonce;
  }

  /** A nonce whose transaction will not reach a block. */
  giveBack(nonce) {
    if (nonce === this.nonce - 1) this.nonce = nonce;
    else if (nonce < this.nonce) this.refill = nonce;
  }
}

/**
 * `count` accounts derived from `root` as `<root>//<path>//<i>`. Deriving from one root pair
 * skips the mnemonic's key stretching that `addFromUri` repeats for every key.
 */
export function deriveAccounts(root, path, count, from = 0) {
  const accounts = [];
  for (let i = from; i < from + count; i += 1) {
    accounts.push(new Account(root.derive(`//${path}//${i}`), `${path}/${i}`));
  }
  return accounts;
}

/** The root of a run's keys, `//<tag>` of the dev phrase, as `//Alice` is. */
export function rootKey(tag) {
  return sr25519Keyring().addFromUri(`//${tag}`);
}

/** The well-known dev accounts, funded in every preset: the load's funders. */
export function devAccounts() {
  const keyring = sr25519Keyring();
  const names = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'];
  return [...names, ...names.map((n) => `${n}//stash`)].map((n) => new Account(keyring.addFromUri(`//${n}`), n));
}

/** Reads nonce and free VCAI of every account, a thousand keys a query. */
export async function readAccounts(api, accounts) {
  for (let i = 0; i < accounts.length; i += 1000) {
    const slice = accounts.slice(i, i + 1000);
    const infos = await api.query.system.account.multi(slice.map((a) => a.address));
    infos.forEach((info, j) => {
      slice[j].nonce = info.nonce.toNumber();
      slice[j].free = info.data.free.toBigInt();
      slice[j].refill = null;
    });
  }
}

/**
 * Signs calls with everything `sign` needs given: the runtime version, the genesis hash and a
 * mortal era anchored at a block the caller picks (`anchor`), so no signature waits on the node.
 */
export class Signer {
  constructor(api, period = 256) {
    this.api = api;
    this.period = period;
    this.base = {
      genesisHash: api.genesisHash,
      runtimeVersion: api.runtimeVersion,
      signedExtensions: api.registry.signedExtensions,
      version: api.extrinsicType,
    };
    this.anchorNumber = -1;
  }

  /**
   * Anchors the era at a finalized block: an era anchored on a best block that a fork then
   * retracts would make every transaction signed against it invalid.
   */
  anchor(number, hash) {
    if (number <= this.anchorNumber) return;
    this.anchorNumber = number;
    this.blockHash = hash;
    this.era = this.api.createType('ExtrinsicEra', { current: number, period: this.period });
  }

  sign(account, call) {
    const nonce = account.takeNonce();
    call.sign(account.pair, { ...this.base, blockHash: this.blockHash, era: this.era, nonce });
    return { hex: call.toHex(), nonce, length: call.encodedLength };
  }
}
