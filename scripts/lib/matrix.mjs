// The `matrix` built-in workload (docs/agent-api.md, "Workloads"), recomputed in JavaScript so a
// verifier, and the e2e test, can check a delivered digest without trusting the agent's Rust code.
import { u8aToHex } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';

const MASK64 = (1n << 64n) - 1n;
const DOMAIN = new TextEncoder().encode('vcity/matrix/v1');

/** The splitmix64 generator; each call returns the high 32 bits of the next output. */
function splitmix64High(seed) {
  let state = BigInt.asUintN(64, BigInt(seed));
  return () => {
    state = (state + 0x9e3779b97f4a7c15n) & MASK64;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
    z ^= z >> 31n;
    return Number(z >> 32n);
  };
}

/** `x · b` for row-major n×n matrices, every product and sum modulo 2^32. */
function multiply(x, b, n) {
  const out = new Uint32Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let k = 0; k < n; k++) {
      const a = x[row + k];
      if (a === 0) continue;
      const bRow = k * n;
      for (let j = 0; j < n; j++) {
        // Math.imul gives the low 32 bits of the product (signed); the Uint32Array store wraps
        // the sum back to an unsigned 32-bit value.
        out[row + j] += Math.imul(a, b[bRow + j]);
      }
    }
  }
  return out;
}

/**
 * The result digest of a matrix task: BLAKE2b-256 of the domain tag, the parameters and the
 * final matrix, as '0x…' hex.
 *
 * @param {{ seed: bigint | number | string, size: number, rounds: number }} params
 */
export function matrixDigest({ seed, size, rounds }) {
  const n = Number(size);
  const r = Number(rounds);
  if (!Number.isInteger(n) || n < 1 || n > 4096) throw new RangeError(`size ${size} is not in 1..=4096`);
  if (!Number.isInteger(r) || r < 1 || r > 0xffffffff) throw new RangeError(`rounds ${rounds} is not a positive u32`);

  const next = splitmix64High(seed);
  let x = new Uint32Array(n * n);
  for (let i = 0; i < x.length; i++) x[i] = next();
  const b = new Uint32Array(n * n);
  for (let i = 0; i < b.length; i++) b[i] = next();
  for (let round = 0; round < r; round++) x = multiply(x, b, n);

  const data = new Uint8Array(DOMAIN.length + 8 + 4 + 4 + x.length * 4);
  data.set(DOMAIN, 0);
  const view = new DataView(data.buffer);
  let at = DOMAIN.length;
  view.setBigUint64(at, BigInt.asUintN(64, BigInt(seed)), true);
  at += 8;
  view.setUint32(at, n, true);
  at += 4;
  view.setUint32(at, r, true);
  at += 4;
  for (let i = 0; i < x.length; i++, at += 4) view.setUint32(at, x[i], true);
  return u8aToHex(blake2AsU8a(data, 256));
}
