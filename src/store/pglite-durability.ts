import fs from 'node:fs';
import path from 'node:path';
import { type Extension, PGlite, type PGliteOptions } from '@electric-sql/pglite';

/**
 * How hard the embedded database (PGlite) works to keep a write it has acknowledged.
 *
 * - `full` (the default): a commit is acknowledged only once its WAL record is on the disk
 *   (fdatasync), and checkpoints sync the data files, so acknowledged writes survive a power cut or
 *   an operating-system crash, as on a PostgreSQL server.
 * - `relaxed` (PGLITE_DURABILITY=relaxed): PGlite's own default, fsync off. Writes still reach the
 *   operating system before they are acknowledged, so they survive the process being killed; a power
 *   cut or a crash of the machine can lose recent writes or corrupt the database.
 */
export type PgliteDurability = 'full' | 'relaxed';

/**
 * Why the work is needed. PGlite starts PostgreSQL with `-F` (fsync off). Without `-F` PostgreSQL
 * asks for syncs, but they stop inside the WebAssembly runtime: Emscripten's NODEFS, which maps the
 * data folder onto the host's files, has no `fsync` stream operation (so fsync() answers 0 and does
 * nothing) and its fdatasync() is a stub. Nothing reached the host's disk. `full` mode therefore:
 *
 * 1. starts PostgreSQL without `-F`, with fsync, synchronous_commit and full_page_writes on and the
 *    WAL synced with fdatasync (PostgreSQL's default on Linux);
 * 2. gives NODEFS an `fsync` that syncs the host file (a directory is opened and synced, as
 *    PostgreSQL does after creating or renaming a file), and replaces the fdatasync stub with one
 *    that does the same with the host's fdatasync: both are installed before PostgreSQL starts, so
 *    crash recovery at start-up is synced too;
 * 3. syncs every file and folder of a data folder it has just created (initdb's files are unpacked
 *    into the folder without a sync);
 * 4. checks that PostgreSQL reports those settings, and refuses to open the database otherwise.
 *
 * A failing host sync is reported to PostgreSQL as the error it is: PostgreSQL refuses the write
 * with a PANIC, as it does on any server, and the database then refuses everything until the process
 * is restarted (see stopAfterFailedSync).
 */
const REQUIRED_SETTINGS = {
  fsync: 'on',
  synchronous_commit: 'on',
  full_page_writes: 'on',
  wal_sync_method: 'fdatasync',
  // Old WAL segments are deleted, not renamed for reuse with their old bytes still inside: after
  // an erasure's checkpoint the erased rows must not linger in the folder (src/store/purge.ts).
  wal_recycle: 'off',
} as const;

/** Settings for every embedded database on disk, whatever its durability. */
const ERASURE_SETTINGS = ['-c', 'wal_recycle=off'];

/** PGlite's start parameters without `-F`, with the settings above given explicitly. */
export function durableStartParams(): string[] {
  const params = PGlite.defaultStartParams.filter((param) => param !== '-F');
  if (params.length !== PGlite.defaultStartParams.length - 1) {
    throw new Error('PGlite start parameters changed: cannot turn fsync on (expected exactly one -F)');
  }
  for (const [name, value] of Object.entries(REQUIRED_SETTINGS)) params.push('-c', `${name}=${value}`);
  return params;
}

/** Syncs passed to the host so far by one open database: tests read these. */
export interface HostSyncCounts {
  /** fsync() calls on files, passed on as the host's fsync. */
  fsync: number;
  /** fdatasync() calls on files (the WAL at each commit), passed on as the host's fdatasync. */
  fdatasync: number;
  /** Syncs of folders (after a file is created, renamed or removed). */
  directories: number;
}

const counts = new WeakMap<PGlite, HostSyncCounts>();

/** The host syncs an embedded database opened with `full` durability has made; undefined otherwise. */
export function hostSyncCounts(client: PGlite): Readonly<HostSyncCounts> | undefined {
  return counts.get(client);
}

/** The parts of Emscripten's runtime the hooks use (it has no published types here). */
interface EmscriptenStream {
  node: EmscriptenNode;
  /** The host's file descriptor, for an open file on NODEFS. */
  nfd?: number;
}
interface EmscriptenNode {
  mode: number;
  node_ops: unknown;
}
interface EmscriptenModule {
  FS: {
    filesystems: { NODEFS: NodeFs };
    getStream(fd: number): EmscriptenStream | null;
    isDir(mode: number): boolean;
  };
}
interface NodeFs {
  node_ops: unknown;
  stream_ops: { fsync?: (stream: EmscriptenStream) => number };
  realPath(node: EmscriptenNode): string;
  tryFSOperation<T>(operation: () => T): T;
}
type WasmImports = Record<string, Record<string, unknown>>;
type InstantiateWasm = (imports: WasmImports, receive: unknown) => unknown;

/** Emscripten's EBADF. */
const EBADF = 8;

function syncDirectory(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

interface HookState {
  installed: { fsync: boolean; fdatasync: boolean };
  /** The first host sync that failed: the database is stopped from then on. */
  failure: Error | null;
}

/**
 * A PGlite extension in name only: its setup amends the Emscripten options so the syncs PostgreSQL
 * asks for reach the host, before the runtime (and PostgreSQL in it) starts.
 */
function hostSyncExtension(tally: HostSyncCounts, state: HookState): Extension {
  let mod: EmscriptenModule | null = null;

  /** Syncs a NODEFS file or folder on the host; streams elsewhere (memory folders) need nothing. */
  const syncStream = (stream: EmscriptenStream, kind: 'fsync' | 'fdatasync'): void => {
    const nodefs = mod?.FS.filesystems.NODEFS;
    if (!mod || !nodefs || stream.node.node_ops !== nodefs.node_ops) return;
    // A host error becomes the runtime's errno (tryFSOperation), which PostgreSQL sees and reports.
    const onHost = (sync: () => void) =>
      nodefs.tryFSOperation(() => {
        try {
          sync();
        } catch (error) {
          state.failure ??= new Error(`${kind} on the host failed: ${(error as Error).message}`);
          throw error;
        }
      });
    const { nfd } = stream;
    if (nfd !== undefined) {
      onHost(() => (kind === 'fsync' ? fs.fsyncSync(nfd) : fs.fdatasyncSync(nfd)));
      tally[kind]++;
    } else if (mod.FS.isDir(stream.node.mode)) {
      const dir = nodefs.realPath(stream.node);
      onHost(() => syncDirectory(dir));
      tally.directories++;
    }
  };

  return {
    name: 'whatmatters-host-sync',
    setup: async (_pg, emscriptenOpts: { preRun?: unknown[]; instantiateWasm?: InstantiateWasm }) => {
      const instantiate = emscriptenOpts.instantiateWasm;
      if (!instantiate)
        throw new Error('PGlite no longer instantiates its own WebAssembly: cannot hook fdatasync');
      return {
        emscriptenOpts: {
          ...emscriptenOpts,
          instantiateWasm: (imports: WasmImports, receive: unknown) => {
            const env = imports.env;
            if (typeof env?.__syscall_fdatasync !== 'function') {
              throw new Error('PGlite runtime has no fdatasync system call to hook');
            }
            // The runtime's own fdatasync only checks the descriptor; a system call answers -errno.
            env.__syscall_fdatasync = (fd: number): number => {
              const stream = mod?.FS.getStream(fd);
              if (!stream) return -EBADF;
              try {
                syncStream(stream, 'fdatasync');
                return 0;
              } catch (error) {
                const errno = (error as { errno?: unknown }).errno;
                if (typeof errno === 'number') return -errno;
                throw error;
              }
            };
            state.installed.fdatasync = true;
            return instantiate(imports, receive);
          },
          preRun: [
            ...(emscriptenOpts.preRun ?? []),
            (module: EmscriptenModule) => {
              mod = module;
              const nodefs = module.FS.filesystems.NODEFS;
              // fsync() reaches the stream's `fsync` operation, which NODEFS lacks (it answers 0).
              nodefs.stream_ops.fsync = (stream) => {
                syncStream(stream, 'fsync');
                return 0;
              };
              state.installed.fsync = true;
            },
          ],
        },
      };
    },
  };
}

/** Syncs every file and folder under `dir`, and `dir` itself and its parent (which names it). */
function syncTree(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) syncTree(full);
    else if (entry.isFile()) {
      const fd = fs.openSync(full, 'r');
      try {
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
  }
  syncDirectory(dir);
}

/**
 * When a sync fails, PostgreSQL refuses the statement with a PANIC error (so the write is never
 * acknowledged) and, inside PGlite, cannot go on: the next statement would never return and would
 * hold the process's only thread. From then on every statement is refused at once instead, so
 * requests fail, /ready reports the database down, and the process can be stopped and restarted
 * (PostgreSQL recovers from its WAL at the next start).
 */
function stopAfterFailedSync(client: PGlite, state: HookState): void {
  const run = client.execProtocolRawSync.bind(client);
  client.execProtocolRawSync = (message: Uint8Array) => {
    if (state.failure) {
      throw new Error(
        `embedded database stopped after a failed disk sync (${state.failure.message}): restart the process`,
      );
    }
    return run(message);
  };
}

async function checkSettings(client: PGlite): Promise<void> {
  for (const [name, expected] of Object.entries(REQUIRED_SETTINGS)) {
    const { rows } = await client.query<Record<string, string>>(`show ${name}`);
    const actual = rows[0]?.[name];
    if (actual !== expected) {
      throw new Error(`embedded database: ${name} is "${actual}", durable writes need "${expected}"`);
    }
  }
}

/**
 * Opens PGlite at `location` (a folder, or `memory://`) with the given durability. `options` are
 * PGlite's own; the start parameters and the host-sync hooks are this function's to set.
 */
export async function createPglite(
  location: string,
  durability: PgliteDurability,
  options: Omit<PGliteOptions, 'dataDir' | 'startParams' | 'extensions'>,
): Promise<PGlite> {
  // In memory there is nothing to sync; `relaxed` is PGlite as it comes, but for WAL recycling.
  if (location.startsWith('memory://')) return PGlite.create(location, options);
  if (durability === 'relaxed') {
    return PGlite.create(location, {
      ...options,
      startParams: [...PGlite.defaultStartParams, ...ERASURE_SETTINGS],
    });
  }

  const fresh = !fs.existsSync(path.join(location, 'PG_VERSION'));
  const tally: HostSyncCounts = { fsync: 0, fdatasync: 0, directories: 0 };
  const state: HookState = { installed: { fsync: false, fdatasync: false }, failure: null };
  const client = await PGlite.create(location, {
    ...options,
    startParams: durableStartParams(),
    extensions: { whatmattersHostSync: hostSyncExtension(tally, state) },
  });
  stopAfterFailedSync(client, state);
  try {
    if (!state.installed.fsync || !state.installed.fdatasync) {
      throw new Error('embedded database: could not pass fsync and fdatasync on to the disk');
    }
    await checkSettings(client);
    if (fresh) {
      syncTree(location);
      syncDirectory(path.dirname(path.resolve(location)));
    }
  } catch (error) {
    await client.close().catch(() => {});
    throw error;
  }
  counts.set(client, tally);
  return client;
}
