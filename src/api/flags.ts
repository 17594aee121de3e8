// A project's flags on top of its phase (DOMAIN.md: suspended, overdue and unfunded are flags, not
// phases). Suspended comes from the project's state; overdue and unfunded need a clock, so they come
// from the project's open alerts (the alerts read model, docs/ALERTS.md).
import DataLoader from 'dataloader';
import { FLAG_LABELS, type Label, type ProjectFlag } from './labels.js';
import type { OpenAlertBrief, ReadModels } from './read-models.js';

/** The alert rules whose open alerts make a project overdue or unfunded. */
export const FLAG_RULES: Readonly<Record<Exclude<ProjectFlag, 'suspended'>, readonly string[]>> = {
  overdue: ['MILESTONE_OVERDUE', 'APPRAISAL_OVERDUE'],
  unfunded: ['UNFUNDED'],
};

/** Every rule id behind a flag. */
const FLAG_RULE_IDS = Object.values(FLAG_RULES).flat();

/**
 * Per request: the open flag alerts of each project asked for, read for all the projects a query's
 * list resolves in one statement (DataLoader batches the loads of one tick), not one per project.
 */
export const flagAlertsLoader = (readModels: ReadModels) =>
  new DataLoader<string, readonly OpenAlertBrief[]>(async (ids) => {
    const open = await readModels.openAlertsOf(ids, FLAG_RULE_IDS);
    return ids.map((id) => open.get(id) ?? []);
  });

export interface FlagView {
  readonly flag: ProjectFlag;
  readonly label: Label;
  /** Since when it holds: the suspension's date, or the earliest `since` of the open alerts behind it. */
  readonly since: string;
}

export function projectFlags(
  suspension: { readonly since: string } | undefined,
  openAlerts: readonly { readonly ruleId: string; readonly since: string }[],
): FlagView[] {
  const flags: FlagView[] = [];
  if (suspension) flags.push({ flag: 'suspended', label: FLAG_LABELS.suspended, since: suspension.since });
  for (const [flag, rules] of Object.entries(FLAG_RULES) as [ProjectFlag, readonly string[]][]) {
    const since = openAlerts
      .filter((a) => rules.includes(a.ruleId))
      .map((a) => a.since)
      .sort()[0];
    if (since !== undefined) flags.push({ flag, label: FLAG_LABELS[flag], since });
  }
  return flags;
}
