// `replay(projectId, from, to)`: decision replay (docs/TIME-TRAVEL.md) — every event of the project in
// the order recorded, the state before and after, the fields that changed, who decided under which
// document and regime, and the rule checks of that regime: passed, failed or overridden (by whom).

import {
  GraphQLBoolean,
  type GraphQLFieldConfig,
  GraphQLID,
  GraphQLInt,
  GraphQLObjectType,
  GraphQLString,
} from 'graphql';
import { mayUse } from '../../domain/access.js';
import type { IsoDate } from '../../domain/dates.js';
import { ForbiddenError } from '../../domain/errors.js';
import type { RuleCheck } from '../../domain/project/checks.js';
import type { ReplayStep } from '../../projections/replay.js';
import type { ApiContext } from '../context.js';
import { enumOf, field, list, nn } from './helpers.js';
import { Regime } from './mutations.js';
import { LabelType } from './project.js';
import { Actor, AuditDocument, FieldChange } from './queries.js';
import { DateScalar, DateTimeScalar, JsonScalar } from './scalars.js';

const CheckOverride = new GraphQLObjectType({
  name: 'RuleCheckOverride',
  fields: { by: field(nn(Actor)), reason: field(nn(GraphQLString)) },
});

const RuleCheckType = new GraphQLObjectType<RuleCheck>({
  name: 'RuleCheck',
  description: 'One rule that applied to a decision, judged under the regime the decision was made under.',
  fields: {
    id: field(nn(GraphQLID)),
    label: field(nn(LabelType)),
    regime: field(nn(Regime)),
    article: field(GraphQLString, 'The legal basis; null for the engine’s own guards.'),
    outcome: field(nn(enumOf('RuleCheckOutcome', ['passed', 'failed', 'overridden']))),
    detail: field(nn(GraphQLString), 'The values the check compared.'),
    override: field(CheckOverride, 'With overridden: who departed from the rule, and why.'),
  },
});

const Corrects = new GraphQLObjectType({
  name: 'ReplayCorrection',
  fields: {
    revision: field(nn(GraphQLInt)),
    type: field(nn(GraphQLString)),
    reason: field(nn(GraphQLString)),
  },
});

const Step = new GraphQLObjectType<ReplayStep>({
  name: 'ReplayStep',
  fields: {
    revision: field(nn(GraphQLInt)),
    eventId: field(nn(GraphQLID)),
    type: field(nn(GraphQLString)),
    data: field(nn(JsonScalar)),
    actor: { type: nn(Actor), resolve: (s) => s.meta.actor },
    recordedAt: { type: nn(DateTimeScalar), resolve: (s) => s.meta.recordedAt },
    effectiveAt: { type: nn(DateScalar), resolve: (s) => s.meta.effectiveAt },
    document: { type: AuditDocument, resolve: (s) => s.meta.legalBasis.document ?? null },
    regime: { type: nn(Regime), resolve: (s) => s.meta.legalBasis.regime },
    transitional: { type: nn(GraphQLBoolean), resolve: (s) => s.meta.legalBasis.transitional === true },
    commandType: { type: nn(GraphQLString), resolve: (s) => s.meta.commandType },
    before: field(JsonScalar, 'The project state before (null before the registration); money as strings.'),
    after: field(JsonScalar, 'The project state after.'),
    changes: field(list(FieldChange)),
    checks: field(list(RuleCheckType)),
    corrects: field(Corrects, 'For a correction: the event it restates.'),
    correctedBy: field(list(GraphQLInt), 'Revisions of the corrections that later restated this event.'),
  },
});

export const replayQuery: GraphQLFieldConfig<
  unknown,
  ApiContext,
  { projectId: string; from?: string | null; to?: string | null }
> = {
  type: list(Step),
  description:
    'Decision replay: every event of the project in the order recorded (effective from `from` to `to`, ' +
    'inclusive, when given), with the state the decider saw and the state after, and the rule checks of ' +
    'the regime each was decided under. Empty for an unknown project. Supervisors only (the role matrix).',
  args: { projectId: { type: nn(GraphQLID) }, from: { type: DateScalar }, to: { type: DateScalar } },
  resolve: (_root, { projectId, from, to }, ctx) => {
    const actor = ctx.actor();
    if (!mayUse(actor, 'replay'))
      throw new ForbiddenError(
        `role ${actor.role} may not replay decisions`,
        'OPERATION_NOT_ALLOWED_FOR_ROLE',
        {
          role: actor.role,
        },
      );
    return ctx.readModels.timeTravel.replay(projectId, {
      ...(from != null && { from: from as IsoDate }),
      ...(to != null && { to: to as IsoDate }),
    });
  },
};
