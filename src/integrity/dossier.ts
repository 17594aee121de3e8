// The inspection dossier of one project: its full history as an inspector files it — every event
// with who decided it under which document and law, the project's state after each step, the
// documents cited, the alerts raised, and the integrity proof (each event's digest and chain hash, the
// head, and the chain recomputed now). Pure: built from the stream's events, the alerts rows and a
// verification; rendered as JSON and as one self-contained HTML page (dossier-html.ts).
import { decodeEvent } from '../domain/catalog.js';
import type { EventMetadata } from '../domain/envelope.js';
import type { ProjectEvent } from '../domain/project/events.js';
import { evolveProject, initialProjectState, type ProjectState } from '../domain/project/state.js';
import type { Json, RecordedEvent, StreamHead } from '../store/port.js';
import type { ChainBreak, StreamVerification } from './chain.js';

export const DOSSIER_FORMAT = 'tiendo-dossier/1';

export interface DossierDocument {
  readonly number: string;
  readonly date: string;
  readonly issuer: string;
  readonly revision: number;
  readonly eventType: string;
}

export interface DossierEvent {
  readonly revision: number;
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly effectiveAt: string;
  readonly recordedAt: string;
  readonly actor: EventMetadata['actor'];
  readonly regime: string;
  readonly transitional: boolean;
  readonly document: { number: string; date: string; issuer: string } | null;
  readonly commandType: string;
  readonly data: Json;
  readonly digest: string;
  readonly hash: string;
  /** The project's state after this event, money as strings of đồng. */
  readonly stateAfter: Json;
}

export interface Dossier {
  readonly format: typeof DOSSIER_FORMAT;
  readonly generatedAt: string;
  readonly project: {
    readonly id: string;
    readonly stream: string;
    readonly family: string;
    readonly name: string | null;
    readonly phase: string | null;
    readonly revision: number;
  };
  readonly events: readonly DossierEvent[];
  readonly documents: readonly DossierDocument[];
  readonly alerts: readonly Record<string, Json>[];
  readonly integrity: {
    readonly intact: boolean;
    /** The head recorded by the store, and the one recomputed from the events' content now. */
    readonly recordedHead: StreamHead | null;
    readonly recomputedHead: StreamHead | null;
    readonly break: ChainBreak | null;
    readonly definition: string;
  };
}

export interface DossierInput {
  readonly projectId: string;
  readonly stream: string;
  /** The project's events in revision order, with the content digest of each. */
  readonly events: readonly (RecordedEvent & { readonly digest: string })[];
  readonly recordedHead: StreamHead | null;
  readonly verification: StreamVerification;
  readonly alerts: readonly Record<string, Json>[];
  readonly generatedAt: Date;
}

export const CHAIN_DEFINITION =
  'digest = SHA-256(canonical JSON of {id, stream, type, schemaVersion, data, metadata}, keys sorted, no spaces); ' +
  'hash = SHA-256(previous hash ‖ digest) over the raw 32-byte values, the first previous hash being 32 zero bytes. ' +
  'The last hash commits to every event before it; compare it with a signed checkpoint (tiendo checkpoint --verify).';

/** Money (bigint) as strings of đồng, so the state reads as plain JSON. */
export const plainJson = (value: unknown): Json =>
  JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))) as Json;

export function buildDossier(input: DossierInput): Dossier {
  let state: ProjectState = initialProjectState;
  const events: DossierEvent[] = [];
  const documents: DossierDocument[] = [];
  for (const e of input.events) {
    const meta = e.metadata as unknown as EventMetadata;
    state = evolveProject(state, decodeEvent(e.type, e.schemaVersion, e.data) as ProjectEvent, {
      effectiveAt: meta.effectiveAt,
    });
    const document = meta.legalBasis?.document ?? null;
    if (document) documents.push({ ...document, revision: e.revision, eventType: e.type });
    events.push({
      revision: e.revision,
      id: e.id,
      type: e.type,
      schemaVersion: e.schemaVersion,
      effectiveAt: meta.effectiveAt,
      recordedAt: meta.recordedAt,
      actor: meta.actor,
      regime: meta.legalBasis?.regime ?? '',
      transitional: meta.legalBasis?.transitional === true,
      document,
      commandType: meta.commandType,
      data: e.data,
      digest: e.digest,
      hash: e.hash,
      stateAfter: plainJson(state),
    });
  }
  const v = input.verification;
  return {
    format: DOSSIER_FORMAT,
    generatedAt: input.generatedAt.toISOString(),
    project: {
      id: input.projectId,
      stream: input.stream,
      family: state.family,
      name: state.family === 'none' ? null : state.name,
      phase: state.family === 'none' ? null : state.phase,
      revision: input.events.length - 1,
    },
    events,
    documents,
    alerts: input.alerts,
    integrity: {
      intact: v.break === null,
      recordedHead: input.recordedHead,
      recomputedHead: v.verifiedHead,
      break: v.break,
      definition: CHAIN_DEFINITION,
    },
  };
}
