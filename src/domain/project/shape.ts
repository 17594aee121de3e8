// One shape per family for the states evolveProject makes: every field in the same order, an absent
// optional one as undefined. A state made by spreading the one before takes that one's shape, and
// states of many shapes cost everything that reads them: V8 copies a spread of an object of a shape it
// has not seen on a slow path, and property reads of many shapes miss their caches. Shaped, a rebuild
// of alerts costs about a twentieth fewer instructions (docs/BENCHMARKS.md, "The eleventh session").
// The domain's value semantics are unchanged: JSON, and equality of fields, see no undefined field.
import type { ExistingProject, NonStateProject, PublicProject } from './state.js';

/** Every field of T present, the optional ones possibly undefined: a field left out fails to compile. */
type EveryField<T> = { [K in keyof Required<T>]: T[K] };

/** The state with its family's fields, in its family's order. */
export function shaped(s: ExistingProject): ExistingProject {
  return s.family === 'nonState' ? nonState(s) : publicProject(s);
}

function nonState(s: NonStateProject): EveryField<NonStateProject> {
  return {
    projectId: s.projectId,
    name: s.name,
    code: s.code,
    province: s.province,
    adminUnit: s.adminUnit,
    agencyId: s.agencyId,
    sector: s.sector,
    owner: s.owner,
    location: s.location,
    proposedCapital: s.proposedCapital,
    registeredOn: s.registeredOn,
    phaseSince: s.phaseSince,
    milestones: s.milestones,
    suspension: s.suspension,
    lastProgress: s.lastProgress,
    periodicReports: s.periodicReports,
    inspections: s.inspections,
    sanctionedFines: s.sanctionedFines,
    history: s.history,
    family: s.family,
    phase: s.phase,
    policy: s.policy,
    certificate: s.certificate,
    deposit: s.deposit,
    land: s.land,
    capitalContributed: s.capitalContributed,
  };
}

function publicProject(s: PublicProject): EveryField<PublicProject> {
  return {
    projectId: s.projectId,
    name: s.name,
    code: s.code,
    province: s.province,
    adminUnit: s.adminUnit,
    agencyId: s.agencyId,
    sector: s.sector,
    owner: s.owner,
    location: s.location,
    proposedCapital: s.proposedCapital,
    registeredOn: s.registeredOn,
    phaseSince: s.phaseSince,
    milestones: s.milestones,
    suspension: s.suspension,
    lastProgress: s.lastProgress,
    periodicReports: s.periodicReports,
    inspections: s.inspections,
    sanctionedFines: s.sanctionedFines,
    history: s.history,
    family: s.family,
    phase: s.phase,
    group: s.group,
    policyDecidedOn: s.policyDecidedOn,
    investmentDecidedOn: s.investmentDecidedOn,
    totalInvestment: s.totalInvestment,
    completionDeadline: s.completionDeadline,
    estimate: s.estimate,
    appraisalRounds: s.appraisalRounds,
    funding: s.funding,
    bidPackages: s.bidPackages,
    settledValue: s.settledValue,
  };
}
