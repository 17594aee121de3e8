// Raw command sequences that walk a project through its lifecycle, for read-model specs that need
// projects in given phases. Dates advance one month per step from the registration.
import { registerNonState, registerPublic } from '../support/fixtures.js';
import { cmd } from './harness.js';

const TY = '000000000';

const NON_STATE_STEPS: readonly [string, string, object][] = [
  ['policyApproved', 'ApproveInvestmentPolicy', { approvedCapital: `120${TY}`, durationYears: 50 }],
  [
    'investorApproved',
    'ApproveInvestor',
    { investor: { name: 'Công ty CP Hoàng Long', id: 'inv-hoang-long' } },
  ],
  [
    'certified',
    'IssueInvestmentCertificate',
    { certificateNumber: '4538217546', registeredCapital: `100${TY}` },
  ],
  ['underConstruction', 'StartConstruction', {}],
  ['constructed', 'CompleteConstruction', {}],
  ['operating', 'StartOperation', {}],
];

const day = (month: number) =>
  `${2022 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}-15`;

/** A non-state project registered in January 2022 and taken up to `phase`. */
export function nonStateTo(projectId: string, phase: string): Record<string, unknown>[] {
  const end = phase === 'registered' ? 0 : NON_STATE_STEPS.findIndex(([p]) => p === phase) + 1;
  if (end < 0) throw new Error(`no step reaches ${phase}`);
  return [
    registerNonState(projectId, { effectiveAt: day(0) }),
    ...NON_STATE_STEPS.slice(0, end).map(([, type, data], i) => cmd(type, projectId, day(i + 1), data)),
  ];
}

/** The next steps after `nonStateTo`, dated after every step of it. */
export const later = (projectId: string, type: string, data: object = {}, month = 10) =>
  cmd(type, projectId, day(month), data);

/** A public project registered in 2021 with its investment policy decided. */
export const publicPolicyDecided = (projectId: string): Record<string, unknown>[] => [
  registerPublic(projectId),
  cmd('SubmitPolicyProposal', projectId, '2021-06-01', { totalInvestment: `80${TY}`, group: 'B' }),
  cmd('CompleteAppraisal', projectId, '2021-07-01', { conclusion: 'Đủ điều kiện' }),
  cmd('DecideInvestmentPolicy', projectId, '2021-08-01', { totalInvestment: `80${TY}`, group: 'B' }),
];

export const SUSPEND = {
  ground: 'Luật Đầu tư 2020 Điều 47 khoản 2',
  reason: 'Vi phạm quy định về môi trường',
};
