// The alert rules in GraphQL: `alertRules(asOf, family)` lists them as data (src/alerts/catalog.ts),
// and every `Alert` carries its rule. The enums of rule ids and severities live here too.
import { type GraphQLFieldConfig, GraphQLObjectType, GraphQLString } from 'graphql';
import { type RuleEntry, ruleCatalog, ruleEntry } from '../../alerts/catalog.js';
import { ALERT_RULES } from '../../alerts/rules.js';
import type { IsoDate } from '../../domain/dates.js';
import type { ApiContext } from '../context.js';
import { enumOf, field, list, nn } from './helpers.js';
import { Regime } from './mutations.js';
import { FamilyEnum, LabelType } from './project.js';
import { DateScalar, JsonScalar } from './scalars.js';

export const AlertSeverity = enumOf('AlertSeverity', ['warning', 'violation']);
export const RuleIdEnum = enumOf(
  'AlertRuleId',
  ALERT_RULES.map((r) => r.id),
  'The alert rules of src/alerts/rules.ts (docs/ALERTS.md).',
);
const RuleFamilyEnum = enumOf(
  'AlertRuleFamily',
  ['nonState', 'public', 'both'],
  'The project family a rule judges.',
);

const AlertRuleVersion = new GraphQLObjectType({
  name: 'AlertRuleVersion',
  description:
    'The rule under one legal regime: its article, when it is in force and its default parameters.',
  fields: {
    regime: field(nn(Regime)),
    regimeTitle: field(nn(LabelType), 'The law, in Vietnamese and English.'),
    article: field(nn(GraphQLString), 'The legal basis under that regime.'),
    validFrom: field(nn(DateScalar), "First day in force: the regime's, or later when the version says so."),
    validTo: field(DateScalar, 'Last day in force (inclusive); null while in force.'),
    parameters: field(nn(JsonScalar), 'The default parameters (a province may override them).'),
    note: field(GraphQLString, 'Why the version says what it says, where the law is unclear or we chose.'),
  },
});

export const AlertRuleType = new GraphQLObjectType<RuleEntry>({
  name: 'AlertRule',
  description: 'An alert rule as data (docs/ALERTS.md).',
  fields: {
    id: field(nn(RuleIdEnum)),
    label: field(nn(LabelType), 'What the rule watches, in Vietnamese and English.'),
    family: field(nn(RuleFamilyEnum)),
    severities: field(list(AlertSeverity), 'The severities its alerts may have.'),
    versions: field(list(AlertRuleVersion), 'One per legal regime (or part of one), oldest first.'),
  },
});

const BY_ID = new Map(ALERT_RULES.map((r) => [r.id, ruleEntry(r)]));

/** The rule of an alert, every version; undefined for a rule id no longer in the code. */
export const ruleById = (id: string): RuleEntry | undefined => BY_ID.get(id);

export const alertRulesQuery: GraphQLFieldConfig<
  unknown,
  ApiContext,
  { asOf?: string | null; family?: 'nonState' | 'public' | null }
> = {
  type: list(AlertRuleType),
  description:
    'The alert rules as data. With asOf, only the versions in force on that date, and only the rules ' +
    'that have one; with family, only the rules judging that family (including those for both).',
  args: { asOf: { type: DateScalar }, family: { type: FamilyEnum } },
  resolve: (_root, { asOf, family }) =>
    ruleCatalog((asOf ?? undefined) as IsoDate | undefined).filter(
      (r) => !family || r.family === family || r.family === 'both',
    ),
};
