// Integrity in GraphQL: a stream's head (last revision and chain hash, what a checkpoint signs) at
// `streamHead(stream)` and `project(id) { integrity }`, and on demand its chain recomputed from the
// stored events (`verification`), so an inspector can compare a head with a published checkpoint.
import {
  GraphQLBoolean,
  GraphQLEnumType,
  type GraphQLFieldConfig,
  GraphQLID,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLString,
} from 'graphql';
import { category, streamId } from '../../domain/streams.js';
import type { ChainBreak } from '../../integrity/chain.js';
import type { Dossier } from '../../integrity/dossier.js';
import { dossierHtml } from '../../integrity/dossier-html.js';
import type { ApiContext } from '../context.js';
import { checkProjectIdRead, checkProvinceRead } from '../scope.js';
import { field, nn } from './helpers.js';
import { JsonScalar } from './scalars.js';

export interface StreamHeadView {
  readonly stream: string;
  readonly revision: number;
  readonly hash: string;
}

export interface StreamVerificationView {
  readonly intact: boolean;
  readonly events: number;
  readonly break: ChainBreak | null;
}

const BreakKind = new GraphQLEnumType({
  name: 'ChainBreakKind',
  values: {
    edited: { value: 'edited', description: 'An event’s content or hash was changed (đã bị sửa).' },
    deleted: { value: 'deleted', description: 'Events are missing (đã bị xoá).' },
    inserted: { value: 'inserted', description: 'An event not appended by the store (bị chèn thêm).' },
    reordered: { value: 'reordered', description: 'Events out of order (bị đảo thứ tự).' },
    head: { value: 'head', description: 'The stream’s recorded head disagrees with its events.' },
  },
});

const ChainBreakType = new GraphQLObjectType<ChainBreak>({
  name: 'ChainBreak',
  description: 'Where a stream’s hash chain first stops holding, and why.',
  fields: {
    kind: field(nn(BreakKind)),
    revision: field(nn(GraphQLInt)),
    eventId: field(GraphQLString, 'The event stored at that revision; null when none is.'),
    expectedHash: field(GraphQLString, 'The hash the verified chain leads to there.'),
    foundHash: field(GraphQLString, 'The hash stored there.'),
    expectedDigest: field(GraphQLString, 'Edits: the content digest stored at append time.'),
    foundDigest: field(GraphQLString, 'Edits: the digest of the content as it is now.'),
    revisions: field(new GraphQLList(new GraphQLNonNull(GraphQLInt)), 'Revisions concerned.'),
    message: field(nn(GraphQLString)),
  },
});

const StreamVerificationType = new GraphQLObjectType<StreamVerificationView>({
  name: 'StreamVerification',
  description: 'The stream’s hash chain recomputed from its stored events now.',
  fields: {
    intact: field(nn(GraphQLBoolean)),
    events: field(nn(GraphQLInt), 'Events read.'),
    break: field(ChainBreakType, 'The first break; null when intact.'),
  },
});

export const StreamHeadType = new GraphQLObjectType<StreamHeadView, ApiContext>({
  name: 'StreamHead',
  description:
    'The head of a stream’s hash chain: hash = SHA-256(previous hash ‖ SHA-256(canonical event)), see docs/INTEGRITY.md.',
  fields: {
    stream: field(nn(GraphQLString)),
    revision: field(nn(GraphQLInt), 'Revision of the stream’s last event.'),
    headHash: {
      type: nn(GraphQLString),
      description: 'Hex SHA-256 chain hash of the last event, as recorded by the store.',
      resolve: (h) => h.hash,
    },
    verification: {
      type: nn(StreamVerificationType),
      description:
        'Recomputes the chain from the stored events (reads the whole stream). Edits show as hashes that no longer ' +
        'follow; `tiendo verify` also compares the stored content digests.',
      resolve: (h, _args, ctx) => ctx.readModels.verifyStream(h.stream),
    },
  },
});

export const streamHeadQuery: GraphQLFieldConfig<unknown, ApiContext, { stream: string }> = {
  type: StreamHeadType,
  description:
    'The head of one stream (project-<id>, capitalplan-<province>_<year>); null when it does not exist.',
  args: { stream: { type: nn(GraphQLString) } },
  resolve: async (_root, { stream }, ctx) => {
    await checkStreamRead(ctx, stream);
    return ctx.readModels.streamHead(stream);
  },
};

const DossierType = new GraphQLObjectType<Dossier>({
  name: 'Dossier',
  description:
    'One project’s inspection dossier (hồ sơ thanh tra): events, documents, state at each step, alerts and the ' +
    'integrity proof. Same content as `tiendo dossier`.',
  fields: {
    json: {
      type: nn(JsonScalar),
      description: 'The dossier as JSON (format tiendo-dossier/1).',
      resolve: (d) => d,
    },
    html: {
      type: nn(GraphQLString),
      description: 'The readable report: one self-contained HTML page, Vietnamese and English labels.',
      resolve: (d) => dossierHtml(d),
    },
  },
});

export const dossierQuery: GraphQLFieldConfig<unknown, ApiContext, { projectId: string }> = {
  type: DossierType,
  description: 'The inspection dossier of one project; null when no such project was registered.',
  args: { projectId: { type: nn(GraphQLID) } },
  resolve: async (_root, { projectId }, ctx) => {
    await checkProjectIdRead(ctx, projectId);
    return ctx.readModels.dossier(projectId);
  },
};

/** A project's stream is read as the project is (role matrix read scope); any other stream is province-wide. */
async function checkStreamRead(ctx: ApiContext, stream: string): Promise<void> {
  if (category(stream) === 'project') await checkProjectIdRead(ctx, streamId(stream));
  else checkProvinceRead(ctx);
}
