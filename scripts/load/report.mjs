// Figures of a run: per step, per kind within a mix step, and in total; per block for the
// markdown file. docs/load.md says how to read each column.

const pct = (x) => (x === null || x === undefined || Number.isNaN(x) ? '–' : `${(100 * x).toFixed(1)}%`);
const num = (x, digits = 1) => (x === null || x === undefined || Number.isNaN(x) ? '–' : x.toFixed(digits));

function quantile(values, q) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function add(into, from) {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
  return into;
}

/**
 * Transactions of the mix `keys` (call → count) that fit a block by their charged weights: the
 * normal class's limit over the mean of weight plus base extrinsic weight, and no more
 * heartbeats than the registry's quota a block.
 */
export function capacityPerBlock(keys, chain, weights) {
  let count = 0;
  let weight = 0;
  let beats = 0;
  for (const [key, n] of Object.entries(keys)) {
    if (weights[key] === undefined || weights[key] === null) continue;
    count += n;
    weight += n * (weights[key] + chain.baseExtrinsic);
    if (key === 'heartbeat') beats += n;
  }
  if (count === 0) return null;
  let capacity = chain.normalMax / (weight / count);
  if (beats > 0) capacity = Math.min(capacity, (chain.heartbeatQuota * count) / beats);
  return capacity;
}


function txFigures(records) {
  const inclusion = records.filter((r) => r.includedAt).map((r) => (r.includedAt - r.sentAt) / 1000);
  const finality = records.filter((r) => r.finalAt !== undefined).map((r) => (r.finalAt - r.sentAt) / 1000);
  const rejections = {};
  const failures = {};
  const drops = {};
  for (const r of records) {
    if (r.status === 'rejected') rejections[r.reason] = (rejections[r.reason] ?? 0) + 1;
    if (r.status === 'expired') drops[r.dropReason ?? 'unknown'] = (drops[r.dropReason ?? 'unknown'] ?? 0) + 1;
    if (r.error) failures[`${r.key}: ${r.error}`] = (failures[`${r.key}: ${r.error}`] ?? 0) + 1;
  }
  return {
    sent: records.length,
    rejected: records.filter((r) => r.status === 'rejected').length,
    // Still in the pool when the run ended: neither included nor refused yet.
    waiting: records.filter((r) => r.status === 'sent' || r.status === 'pending').length,
    // Taken by the pool and gone without a block: evicted, or invalid after a block (a beat
    // whose window closed, a transaction whose fee can no longer be paid).
    dropped: records.filter((r) => r.status === 'expired').length,
    failed: records.filter((r) => r.error).length,
    inclusion: { p50: quantile(inclusion, 0.5), p95: quantile(inclusion, 0.95), n: inclusion.length },
    finality: { p50: quantile(finality, 0.5), p95: quantile(finality, 0.95), n: finality.length },
    // Of the sample followed in the pool: how many waited in its future queue (a nonce before
    // them missing) at some point.
    watched: records.filter((r) => r.watched).length,
    everFuture: records.filter((r) => r.wasFuture).length,
    rejections,
    failures,
    drops,
  };
}

function blockFigures(blocks, chain, weights, fallbackKeys) {
  const blockSec = chain.blockMs / 1000;
  const keys = blocks.reduce((k, b) => add(k, b.keys), {});
  const included = blocks.reduce((s, b) => s + b.ours, 0);
  const capacity = capacityPerBlock(Object.keys(keys).length > 0 ? keys : fallbackKeys, chain, weights);
  const normal = blocks.map((b) => b.weight.normal / chain.normalMax);
  const seconds = blocks.length * blockSec;
  return {
    blocks: blocks.length,
    included,
    includedPerBlock: blocks.length ? included / blocks.length : null,
    includedTps: seconds ? included / seconds : null,
    capacityPerBlock: capacity,
    maxTps: capacity === null ? null : capacity / blockSec,
    ofMax: capacity === null || !blocks.length ? null : included / blocks.length / capacity,
    normal: { avg: normal.length ? normal.reduce((a, b) => a + b, 0) / normal.length : null, max: normal.length ? Math.max(...normal) : null },
    operationalMax: blocks.length ? Math.max(...blocks.map((b) => b.weight.operational / chain.maxBlock)) : null,
    mandatoryAvg: blocks.length ? blocks.reduce((s, b) => s + b.weight.mandatory / chain.maxBlock, 0) / blocks.length : null,
    lengthMax: blocks.length ? Math.max(...blocks.map((b) => b.length / chain.normalLength)) : null,
    gapMax: blocks.length ? Math.max(...blocks.map((b) => b.gap)) : null,
    byKind: blocks.reduce((k, b) => add(k, b.kinds), {}),
  };
}

function keysOf(records) {
  return records.reduce((k, r) => add(k, { [r.key]: 1 }), {});
}

/** Every figure of the run, as the JSON output holds it. */
export function summarize({ options, chain, weights, steps, records, tracker, kinds, selftest }) {
  const stepFigures = steps.map((step) => {
    const recs = records.filter((r) => r.step === step.index);
    const blocks = tracker.blocksOf(step.index);
    const figures = {
      step: step.index + 1,
      kind: options.kind,
      target: step.rate,
      seconds: step.seconds,
      offeredTps: step.seconds ? recs.length / step.seconds : null,
      starved: step.starved,
      empty: step.empty,
      signing: step.seconds ? step.signMs / 1000 / step.seconds : null,
      ...blockFigures(blocks, chain, weights, keysOf(recs)),
      ...txFigures(recs),
    };
    if (options.kind === 'mix') {
      figures.kinds = Object.fromEntries(kinds.map((kind) => {
        const mine = recs.filter((r) => r.kind === kind);
        const included = blocks.reduce((s, b) => s + (b.kinds[kind] ?? 0), 0);
        return [kind, { offeredTps: step.seconds ? mine.length / step.seconds : null, included, includedTps: blocks.length ? included / (blocks.length * chain.blockMs / 1000) : null, ...txFigures(mine) }];
      }));
    }
    return figures;
  });
  // The drain's blocks are left out of the rates: no load was offered while they were made.
  const runBlocks = tracker.blocks.filter((b) => b.step >= 0 && b.step < steps.length && b.canonical !== false);
  const seconds = steps.reduce((s, st) => s + st.seconds, 0);
  const total = {
    kind: options.kind,
    seconds,
    offeredTps: seconds ? records.filter((r) => r.step < steps.length).length / seconds : null,
    // The share of the steps' time this tool spent building and signing: near 100% it, not
    // the chain, is what limits the offered rate.
    signing: seconds ? steps.reduce((s, st) => s + st.signMs, 0) / 1000 / seconds : null,
    ...blockFigures(runBlocks, chain, weights, keysOf(records)),
    ...txFigures(records),
  };
  return {
    options: { ...options, urls: options.urls },
    chain,
    weights,
    steps: stepFigures,
    total,
    forks: tracker.blocks.filter((b) => b.canonical === false).length,
    trackerErrors: tracker.errors,
    blocks: tracker.blocks.filter((b) => !b.baseline).map(({ txs, ...b }) => b),
    selftest,
  };
}

function reasons(map) {
  const entries = Object.entries(map).sort((a, b) => b[1] - a[1]);
  return entries.length ? entries.map(([r, n]) => `${r} ×${n}`).join('; ') : '–';
}

const HEADER = [
  'step', 'kind', 'target tx/s', 'offered tx/s', 'included tx/s', 'max by weight tx/s', 'incl / max',
  'normal avg', 'normal max', 'incl p50 / p95 s', 'final p50 / p95 s', 'best−final max', 'rejected', 'dropped', 'waiting at end', 'failed',
];

function row(label, f, target) {
  return [
    label, f.kind, target, num(f.offeredTps), num(f.includedTps), num(f.maxTps), pct(f.ofMax),
    pct(f.normal.avg), pct(f.normal.max), `${num(f.inclusion.p50)} / ${num(f.inclusion.p95)}`,
    `${num(f.finality.p50)} / ${num(f.finality.p95)}`, f.gapMax ?? '–', f.rejected, f.dropped, f.waiting, f.failed,
  ];
}

const line = (cells) => `| ${cells.join(' | ')} |`;

/** The step table, the mix's table by kind, and the refusals and failures by reason. */
export function markdown(summary) {
  const out = [];
  out.push(line(HEADER), line(HEADER.map(() => '---')));
  for (const f of summary.steps) out.push(line(row(f.step, f, f.target)));
  out.push(line(row('**total**', summary.total, '')));
  const mixSteps = summary.steps.filter((f) => f.kinds);
  if (mixSteps.length) {
    out.push('', line(['step', 'kind', 'offered tx/s', 'included tx/s', 'incl p50 / p95 s', 'final p50 / p95 s', 'rejected', 'dropped', 'waiting at end', 'failed']));
    out.push(line(Array(10).fill('---')));
    for (const f of mixSteps) {
      for (const [kind, k] of Object.entries(f.kinds)) {
        out.push(line([f.step, kind, num(k.offeredTps), num(k.includedTps), `${num(k.inclusion.p50)} / ${num(k.inclusion.p95)}`,
          `${num(k.finality.p50)} / ${num(k.finality.p95)}`, k.rejected, k.dropped, k.waiting, k.failed]));
      }
    }
  }
  out.push('', 'Pool rejections by reason:', '');
  for (const f of [...summary.steps, { ...summary.total, step: 'total' }]) out.push(`- step ${f.step}: ${reasons(f.rejections)}`);
  if (Object.keys(summary.total.drops).length) {
    out.push('', 'Taken by the pool, then dropped without a block, by how this tool learnt it:', '');
    for (const f of [...summary.steps, { ...summary.total, step: 'total' }]) out.push(`- step ${f.step}: ${reasons(f.drops)}`);
  }
  if (summary.total.watched) out.push('', `Of ${summary.total.watched} transactions followed in the pool, ${summary.total.everFuture} waited in its future queue at some point (a nonce before them missing).`);
  const failures = Object.keys(summary.total.failures).length;
  if (failures) {
    out.push('', 'Dispatch failures (included, call failed):', '');
    for (const f of [...summary.steps, { ...summary.total, step: 'total' }]) out.push(`- step ${f.step}: ${reasons(f.failures)}`);
  }
  const starved = summary.steps.filter((f) => f.starved > 0);
  if (starved.length) {
    out.push('', `Transactions not offered because the traffic had nothing to offer at the moment (every node beat in this window, every task waiting for its block, or every sender still waiting for the node to answer its last submission): ${starved.map((f) => `step ${f.step} ${f.starved}`).join(', ')}`);
  }
  const empty = summary.steps.filter((f) => f.empty && Object.keys(f.empty).length);
  if (empty.length) {
    out.push('', `Kinds of the mix that had nothing valid to offer at times, their turn going to the others: ${empty.map((f) => `step ${f.step} ${Object.keys(f.empty).join(', ')}`).join('; ')}`);
  }
  out.push('', `This tool spent ${pct(summary.total.signing)} of the steps' time building and signing (per step: ${summary.steps.map((f) => pct(f.signing)).join(', ')}).`);
  if (summary.forks) out.push('', `Blocks retracted by forks (left out above): ${summary.forks}`);
  return out.join('\n');
}

/** One row per block the run saw. */
export function blockTable(summary) {
  const { chain } = summary;
  const out = [line(['block', 'step', 'extrinsics', 'by kind', 'normal', 'operational', 'mandatory', 'length', 'best−final', 'failed'])];
  out.push(line(Array(10).fill('---')));
  for (const b of summary.blocks) {
    if (b.step < 0) continue;
    out.push(line([
      `#${b.number}${b.canonical === false ? ' (fork)' : ''}`, stepName(b.step, summary.steps.length), b.extrinsics,
      Object.entries(b.kinds).map(([k, n]) => `${k} ${n}`).join(', '),
      pct(b.weight.normal / chain.normalMax), pct(b.weight.operational / chain.maxBlock), pct(b.weight.mandatory / chain.maxBlock),
      pct(b.length / chain.normalLength), b.gap, Object.values(b.failed).reduce((a, c) => a + c, 0),
    ]));
  }
  return out.join('\n');
}

/** Steps are numbered from 1; the blocks after the last step are the drain's. */
export function stepName(index, steps) {
  return index >= steps ? 'drain' : `${index + 1}`;
}

/** The line printed as each block is read. */
export function blockLine(b, chain, steps) {
  const kinds = Object.entries(b.kinds).map(([k, n]) => `${k} ${n}`).join(', ');
  const failed = Object.values(b.failed).reduce((a, c) => a + c, 0);
  return `  #${b.number} ${stepName(b.step, steps)}: ${b.extrinsics} extrinsics (${kinds}); normal ${pct(b.weight.normal / chain.normalMax)}, `
    + `operational ${pct(b.weight.operational / chain.maxBlock)}, mandatory ${pct(b.weight.mandatory / chain.maxBlock)}, `
    + `length ${pct(b.length / chain.normalLength)}; best−final ${b.gap}${failed ? `; ${failed} failed` : ''} (read in ${b.readMs.toFixed(0)} ms)`;
}
