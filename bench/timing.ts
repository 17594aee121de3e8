// Timed phases: N workers loop over an operation for a fixed duration; counts, rate, latency
// percentiles, and where the CPU went. A worker's loop is sequential (one operation in flight per
// client), like a client waiting for each answer.
import { cpus } from 'node:os';

export interface PhaseResult {
  readonly operations: number;
  /** Units each operation wrote (rows, events); rate is units per second. */
  readonly units: number;
  readonly seconds: number;
  readonly rate: number;
  readonly opsRate: number;
  readonly p50ms: number;
  readonly p95ms: number;
  readonly p99ms: number;
  readonly errors: number;
  /** CPU time of this Node process per operation (user + system). */
  readonly nodeCpuMsPerOp: number;
  /** CPU time of the PostgreSQL server per operation, when it runs on this machine. */
  readonly serverCpuMsPerOp: number | null;
  /** Share of the whole machine's CPU time that was busy during the phase (all processes). */
  readonly machineBusy: number;
}

export interface PhaseOptions {
  readonly workers: number;
  readonly seconds: number;
  readonly signal?: AbortSignal;
  /** The server's CPU milliseconds so far (see server-cpu.ts). */
  readonly serverCpu?: (() => Promise<number>) | null;
}

/** `op(worker, i)` returns how many units it wrote; failures are counted, not fatal. */
export async function timedPhase(
  options: PhaseOptions,
  op: (worker: number, i: number) => Promise<number>,
): Promise<PhaseResult> {
  const deadline = performance.now() + options.seconds * 1000;
  const latencies: number[] = [];
  let units = 0;
  let errors = 0;
  let firstError: unknown;
  const meter = await startMeter(options.serverCpu);
  await Promise.all(
    Array.from({ length: options.workers }, async (_, worker) => {
      for (let i = 0; performance.now() < deadline && !options.signal?.aborted; i++) {
        const t0 = performance.now();
        try {
          // Awaited first: `units += await …` would read `units` before the await and lose updates.
          const n = await op(worker, i);
          units += n;
          latencies.push(performance.now() - t0);
        } catch (error) {
          errors++;
          firstError ??= error;
        }
      }
    }),
  );
  if (errors > 0 && latencies.length === 0) throw firstError;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    ...(await meter.stop(latencies.length, units)),
    p50ms: at(0.5),
    p95ms: at(0.95),
    p99ms: at(0.99),
    errors,
  };
}

/** Wall time, this process's CPU and the machine's CPU from now until stop(). */
export async function startMeter(serverCpu?: (() => Promise<number>) | null) {
  const server0 = serverCpu ? await serverCpu() : 0;
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const machine0 = machineTimes();
  return {
    async stop(operations: number, units: number) {
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const machine1 = machineTimes();
      const server = serverCpu ? (await serverCpu()) - server0 : null;
      return {
        operations,
        units,
        seconds,
        rate: units / seconds,
        opsRate: operations / seconds,
        nodeCpuMsPerOp: (cpu.user + cpu.system) / 1000 / Math.max(1, operations),
        serverCpuMsPerOp: server === null ? null : server / Math.max(1, operations),
        machineBusy: 1 - (machine1.idle - machine0.idle) / Math.max(1, machine1.total - machine0.total),
      };
    },
  };
}

/** Idle and total CPU time over all cores since boot (ms). */
function machineTimes(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const c of cpus()) {
    idle += c.times.idle;
    total += c.times.user + c.times.nice + c.times.sys + c.times.idle + c.times.irq;
  }
  return { idle, total };
}
