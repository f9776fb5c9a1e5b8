// The scheduler service: the off-chain half of task matching, run by a node with the Scheduler
// role. Each round it reads the queued tasks and the idle nodes over RPC (vcity_queuedTasks,
// vcity_idleNodes), runs the scheduler crate's auction (`vcity-schedule`, the same Rust code the
// offchain worker will run) and submits the assignments with the scheduler node's operator key.
// The chain checks every assignment again and reports refused ones in AssignmentRejected events.
//
//   node scheduler-service.mjs --suri //Dave [--ws ws://127.0.0.1:9944] [--once]
//                              [--schedule-bin path/to/vcity-schedule] [--interval-ms 6000]
//
// Build the scheduling command once with:
//   cargo build --release -p vcity-scheduler --features cli --bin vcity-schedule
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { allPages, connect, submit } from './lib/vcity.mjs';

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

/** Where cargo put `vcity-schedule`, release build first. */
function defaultScheduleBin() {
  const target = process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache/vcity/target');
  const candidates = ['release', 'debug'].map((profile) => join(target, profile, 'vcity-schedule'));
  return candidates.find(existsSync) ?? candidates[0];
}

/** Runs `vcity-schedule` on a snapshot and returns its JSON answer. */
export function runSchedule(bin, snapshot) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => { out += chunk; });
    child.stderr.on('data', (chunk) => { err += chunk; });
    child.on('error', (e) => reject(new Error(`cannot run ${bin}: ${e.message}`)));
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${bin} exited with ${code}: ${err.trim()}`));
      else resolve(JSON.parse(out));
    });
    child.stdin.end(JSON.stringify(snapshot));
  });
}

/**
 * One round: snapshot, schedule, submit in batches the chain accepts. Returns what was
 * assigned and what the chain refused, per task.
 */
export async function scheduleRound(api, provider, signer, bin, log = console.log) {
  // One block for the whole snapshot, so no task or node is seen twice or missed between pages.
  const header = await api.rpc.chain.getHeader();
  const at = header.hash.toHex();
  const now = header.number.toNumber();
  // Tasks that could no longer finish before their deadline would only be refused on chain.
  const blockSeconds = api.consts.computeMarket.blockTimeMs.toNumber() / 1000;
  const ackWindow = (await api.query.computeMarket.params()).unwrap().ackWindow.toNumber();
  const feasible = (task) => now + ackWindow + Math.ceil(task.seconds / blockSeconds) <= task.deadline;
  const queued = await allPages(provider, 'vcity_queuedTasks', [], 'tasks', at);
  const tasks = queued.filter(feasible);
  const nodes = await allPages(provider, 'vcity_idleNodes', [], 'nodes', at);
  if (tasks.length === 0 || nodes.length === 0) {
    log(`  ${tasks.length} queued tasks, ${nodes.length} idle nodes: nothing to match`);
    return { assigned: [], rejected: [], unplaced: [] };
  }
  const plan = await runSchedule(bin, { tasks, nodes });
  log(`  ${queued.length} queued tasks (${tasks.length} can still finish), ${nodes.length} idle nodes: ${plan.assignments.length} assignments, ${plan.unplaced.length} unplaced`);
  const batchSize = api.consts.computeMarket.maxAssignmentsPerBatch.toNumber();
  const assigned = [];
  const rejected = [];
  for (let start = 0; start < plan.assignments.length; start += batchSize) {
    const batch = plan.assignments.slice(start, start + batchSize);
    const { events } = await submit(api, api.tx.computeMarket.assignTasks(batch), signer);
    for (const event of events) {
      if (api.events.computeMarket.TaskAssigned.is(event)) {
        assigned.push({ task: event.data.task.toNumber(), node: event.data.node.toNumber() });
      } else if (api.events.computeMarket.AssignmentRejected.is(event)) {
        const refusal = { task: event.data.task.toNumber(), node: event.data.node.toNumber(), reason: event.data.reason.toString() };
        rejected.push(refusal);
        log(`  refused by the chain: task ${refusal.task} on node ${refusal.node}: ${refusal.reason}`);
      }
    }
  }
  return { assigned, rejected, unplaced: plan.unplaced };
}

async function main() {
  const url = option('ws', process.env.VCITY_WS ?? 'ws://127.0.0.1:9944');
  const suri = option('suri', process.env.VCITY_SCHEDULER_SURI);
  const bin = option('schedule-bin', defaultScheduleBin());
  const intervalMs = Number(option('interval-ms', '6000'));
  if (!suri) throw new Error('--suri (the scheduler node\'s operator key) is required');
  if (!existsSync(bin)) throw new Error(`${bin} not found: cargo build --release -p vcity-scheduler --features cli --bin vcity-schedule`);
  await cryptoWaitReady();
  const signer = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(suri);
  const { api, provider } = await connect(url);
  console.log(`scheduler service on ${url} as ${signer.address}`);
  try {
    for (;;) {
      const round = await scheduleRound(api, provider, signer, bin);
      console.log(`  assigned ${round.assigned.length}, refused ${round.rejected.length}`);
      if (process.argv.includes('--once')) break;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  } finally {
    await api.disconnect();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    console.error(`scheduler service: ${e.message}`);
    process.exit(1);
  });
}
