// Decider specifications for the commands both project families share: registration, milestones,
// progress and periodic reports, inspections and sanctions, suspension, owner reassignment,
// administrative-unit remapping and corrections, plus the guards every command passes.
import { describe, expect, it } from 'vitest';
import { TY } from '../../src/domain/money.js';
import { PROJECT_COMMAND_TYPES, type ProjectCommandType } from '../../src/domain/project/commands.js';
import type { ProjectEvent } from '../../src/domain/project/events.js';
import { on, projectSpec, rawCommand, TODAY } from '../support/decider.js';
import {
  CERTIFICATE,
  COMMON_COMMANDS,
  cancelled,
  INVESTOR,
  milestone,
  NS,
  nonStateRegistration,
  nonStateUpTo,
  OWNER,
  PUB,
  publicRegistration,
  publicUpTo,
  sample,
  sampleCommands,
  terminated,
} from './fixtures.js';

const FAMILIES = [
  {
    family: 'non-state',
    id: NS,
    registration: nonStateRegistration,
    live: nonStateUpTo('certified'),
    ended: terminated([...nonStateUpTo('certified'), milestone()]),
    endedAs: 'PROJECT_TERMINATED',
    owner: INVESTOR,
  },
  {
    family: 'public',
    id: PUB,
    registration: publicRegistration,
    live: publicUpTo('implementing'),
    ended: cancelled([...publicUpTo('implementing'), milestone()]),
    endedAs: 'PROJECT_CANCELLED',
    owner: OWNER,
  },
] as const;

const ALL_BUT_REGISTER = PROJECT_COMMAND_TYPES.filter((t) => t !== 'RegisterProject');

/** A CorrectEvent command's data, and the EventCorrected data it should produce. */
const correction = (projectId: string, correctedRevision: number, field: string, to: string) => ({
  projectId,
  correctedRevision,
  reason: 'Nhập sai',
  changes: [{ field, to }],
});
const correctedData = (
  correctedRevision: number,
  correctedType: string,
  field: string,
  from: string,
  to: string,
) => ({
  correctedRevision,
  correctedType,
  reason: 'Nhập sai',
  changes: [{ field, from, to }],
});
const corrected = (...args: Parameters<typeof correctedData>): ProjectEvent => ({
  type: 'EventCorrected',
  data: correctedData(...args),
});

describe('Registering a project (đăng ký dự án) starts its stream', () => {
  it('records a non-state project with its proposed capital as exact đồng', () => {
    const state = projectSpec
      .given([])
      .when(
        'RegisterProject',
        { ...nonStateRegistration, proposedCapital: '120000000000' },
        { effectiveAt: '2022-01-10' },
      )
      .thenEmits([
        { type: 'ProjectRegistered', data: { ...nonStateRegistration, proposedCapital: 120n * TY } },
      ]);
    expect(state).toMatchObject({ family: 'nonState', phase: 'registered', registeredOn: '2022-01-10' });
  });

  it('records a public project with its group (nhóm A, B, C)', () => {
    const state = projectSpec
      .given([])
      .when('RegisterProject', publicRegistration)
      .thenEmits([{ type: 'ProjectRegistered', data: publicRegistration }]);
    expect(state).toMatchObject({ family: 'public', phase: 'registered', group: 'B', funding: [] });
  });

  it('refuses a public project without a group', () => {
    const { group: _, ...withoutGroup } = publicRegistration;
    projectSpec
      .given([])
      .when('RegisterProject', withoutGroup)
      .thenThrows({ code: 'VALIDATION', field: 'data.group' });
  });

  it('refuses to register the same project twice', () => {
    projectSpec
      .given(nonStateUpTo('registered'))
      .when('RegisterProject', nonStateRegistration)
      .thenThrows({ code: 'ILLEGAL_TRANSITION', reason: 'PROJECT_ALREADY_REGISTERED' });
  });

  it('refuses a project id containing "-", which separates category from id in stream names', () => {
    projectSpec
      .given([])
      .when('RegisterProject', { ...nonStateRegistration, projectId: 'CB-001' })
      .thenThrows({ code: 'VALIDATION', field: 'data.projectId' });
  });
});

describe('Nothing is recorded as taking effect after the day it is recorded (Vietnam time)', () => {
  it('refuses an effective date after today', () => {
    projectSpec
      .given([])
      .when('RegisterProject', nonStateRegistration, {
        effectiveAt: '2024-03-02',
        recordedAt: '2024-03-01T16:59:59.000Z',
      })
      .thenThrows({ code: 'VALIDATION', reason: 'DATE_IN_FUTURE', field: 'effectiveAt' });
  });

  it('counts the day in UTC+7: 17:00 UTC is already the next day', () => {
    projectSpec
      .given([])
      .when('RegisterProject', nonStateRegistration, {
        effectiveAt: '2024-03-02',
        recordedAt: '2024-03-01T17:00:00.000Z',
      })
      .thenEmits([{ type: 'ProjectRegistered', data: nonStateRegistration }]);
  });

  it('refuses a decision document dated after its effective date', () => {
    projectSpec
      .given([])
      .when('RegisterProject', nonStateRegistration, {
        effectiveAt: '2024-03-01',
        document: { number: '12/QĐ-UBND', date: '2024-03-05', issuer: 'UBND tỉnh Cao Bằng' },
        recordedAt: '2024-03-10T02:00:00.000Z',
      })
      .thenThrows({ code: 'VALIDATION', reason: 'DATE_OUT_OF_ORDER', field: 'document.date' });
  });
});

describe('Every command but registration needs a registered project', () => {
  it.each(ALL_BUT_REGISTER)('%s on an unknown project is NOT_FOUND', (type) => {
    projectSpec
      .given([])
      .when(sample(type, 'CB.999'))
      .thenThrows({ code: 'NOT_FOUND', reason: 'PROJECT_NOT_FOUND' });
  });
});

describe.each(FAMILIES)('Rules common to both families, for a $family project', (f) => {
  const { id, live, ended } = f;

  describe('A terminated or cancelled project keeps only its records open', () => {
    const stillOpen: [ProjectCommandType, ProjectEvent][] = [
      [
        'RecordInspection',
        {
          type: 'InspectionRecorded',
          data: { inspectionKind: 'postInspection', result: 'compliant', findings: 'Đúng tiến độ cam kết' },
        },
      ],
      [
        'SanctionViolation',
        {
          type: 'ViolationSanctioned',
          data: { violation: 'Không báo cáo giám sát đầu tư', fine: 30_000_000n },
        },
      ],
      [
        'RemapAdministrativeUnit',
        {
          type: 'AdministrativeUnitRemapped',
          data: {
            from: { province: '04', adminUnit: f.registration.adminUnit },
            to: { province: '04', adminUnit: 'Xã Hòa An' },
            reason: 'Sắp xếp đơn vị hành chính 2025',
          },
        },
      ],
      ['CorrectEvent', corrected(0, 'ProjectRegistered', 'sector', f.registration.sector, 'Chế biến gỗ')],
    ];
    it.each(stillOpen)(
      '%s is still accepted after the end (hậu kiểm, the 2025 map, corrections)',
      (type, event) => {
        projectSpec.given(ended).when(sample(type, id)).thenEmits([event]);
      },
    );

    const closed = COMMON_COMMANDS.filter((t) => !stillOpen.some(([open]) => open === t));
    it.each(closed)('%s is refused once the project has ended', (type) => {
      projectSpec
        .given(ended)
        .when(sample(type, id))
        .thenThrows({ code: 'ILLEGAL_TRANSITION', reason: f.endedAs });
    });
  });

  describe('Milestones (mốc tiến độ) are planned once, rescheduled with a cause, completed once', () => {
    const planned = [...live, milestone('KC01', '2023-06-30')];

    it('plans a milestone', () => {
      const state = projectSpec
        .given(live)
        .when('PlanMilestone', {
          projectId: id,
          milestoneId: 'VH01',
          kind: 'operation',
          name: 'Vận hành',
          dueDate: '2025-06-30',
        })
        .thenEmits([
          {
            type: 'MilestonePlanned',
            data: { milestoneId: 'VH01', kind: 'operation', name: 'Vận hành', dueDate: '2025-06-30' },
          },
        ] as ProjectEvent[]);
      expect(state).toMatchObject({
        milestones: { VH01: { plannedDue: '2025-06-30', currentDue: '2025-06-30' } },
      });
    });

    it('refuses to plan the same milestone twice', () => {
      projectSpec
        .given(planned)
        .when('PlanMilestone', {
          projectId: id,
          milestoneId: 'KC01',
          kind: 'other',
          name: 'Lần hai',
          dueDate: '2025-01-01',
        })
        .thenThrows({ code: 'ILLEGAL_TRANSITION', reason: 'MILESTONE_ALREADY_PLANNED' });
    });

    it('refuses a due date before the project was registered', () => {
      projectSpec
        .given(live)
        .when('PlanMilestone', {
          projectId: id,
          milestoneId: 'X1',
          kind: 'other',
          name: 'Sớm',
          dueDate: '2021-12-31',
        })
        .thenThrows({ code: 'VALIDATION', reason: 'DATE_OUT_OF_ORDER', field: 'data.dueDate' });
    });

    it('reschedules from the current due date, keeping the planned one', () => {
      const once = [
        ...planned,
        on('2023-05-01', 'MilestoneRescheduled', {
          milestoneId: 'KC01',
          from: '2023-06-30',
          to: '2023-12-31',
          reason: 'Mưa lũ',
          causeKind: 'objective',
        }),
      ];
      const state = projectSpec
        .given(once)
        .when('RescheduleMilestone', {
          projectId: id,
          milestoneId: 'KC01',
          to: '2024-06-30',
          reason: 'Nhà thầu chậm',
          causeKind: 'subjective',
        })
        .thenEmits([
          {
            type: 'MilestoneRescheduled',
            data: {
              milestoneId: 'KC01',
              from: '2023-12-31',
              to: '2024-06-30',
              reason: 'Nhà thầu chậm',
              causeKind: 'subjective',
            },
          },
        ] as ProjectEvent[]);
      expect(state).toMatchObject({
        milestones: {
          KC01: {
            plannedDue: '2023-06-30',
            currentDue: '2024-06-30',
            reschedules: [{}, { causeKind: 'subjective' }],
          },
        },
      });
    });

    it.each([
      ['to the date it is already due', { to: '2023-06-30' }, 'data.to', 'NO_CHANGE'],
      ['to before the project was registered', { to: '2021-06-30' }, 'data.to', 'DATE_OUT_OF_ORDER'],
      [
        'for a cause neither objective nor subjective (khách quan / chủ quan)',
        { causeKind: 'both' },
        'data.causeKind',
        'INVALID_INPUT',
      ],
    ])('refuses a reschedule %s', (_, change, field, reason) => {
      projectSpec
        .given(planned)
        .when(rawCommand('RescheduleMilestone', { ...sampleCommands(id).RescheduleMilestone, ...change }))
        .thenThrows({ code: 'VALIDATION', reason, field });
    });

    it('completes a milestone on the effective date when no date is stated', () => {
      const state = projectSpec
        .given(planned)
        .when('CompleteMilestone', { projectId: id, milestoneId: 'KC01' })
        .thenEmits([
          { type: 'MilestoneCompleted', data: { milestoneId: 'KC01', completedOn: TODAY } },
        ] as ProjectEvent[]);
      expect(state).toMatchObject({ milestones: { KC01: { completedOn: TODAY } } });
    });

    it('completes a milestone on the stated earlier date', () => {
      projectSpec
        .given(planned)
        .when('CompleteMilestone', { projectId: id, milestoneId: 'KC01', completedOn: '2023-06-15' })
        .thenEmits([
          { type: 'MilestoneCompleted', data: { milestoneId: 'KC01', completedOn: '2023-06-15' } },
        ] as ProjectEvent[]);
    });

    it('refuses a completion date in the future or before registration', () => {
      projectSpec
        .given(planned)
        .when('CompleteMilestone', { projectId: id, milestoneId: 'KC01', completedOn: '2024-03-02' })
        .thenThrows({ code: 'VALIDATION', reason: 'DATE_IN_FUTURE', field: 'data.completedOn' });
      projectSpec
        .given(planned)
        .when('CompleteMilestone', { projectId: id, milestoneId: 'KC01', completedOn: '2022-01-01' })
        .thenThrows({ code: 'VALIDATION', reason: 'DATE_OUT_OF_ORDER', field: 'data.completedOn' });
    });

    const completed = [
      ...planned,
      on('2023-06-20', 'MilestoneCompleted', { milestoneId: 'KC01', completedOn: '2023-06-20' }),
    ];

    it('refuses to complete a milestone twice', () => {
      projectSpec
        .given(completed)
        .when('CompleteMilestone', { projectId: id, milestoneId: 'KC01' })
        .thenThrows({ code: 'ILLEGAL_TRANSITION', reason: 'MILESTONE_ALREADY_COMPLETED' });
    });

    it('refuses to reschedule a completed milestone', () => {
      projectSpec
        .given(completed)
        .when(sample('RescheduleMilestone', id))
        .thenThrows({ code: 'ILLEGAL_TRANSITION', reason: 'MILESTONE_ALREADY_COMPLETED' });
    });

    it.each(['RescheduleMilestone', 'CompleteMilestone'] as const)(
      '%s of a milestone never planned is NOT_FOUND',
      (type) => {
        projectSpec
          .given(live)
          .when(sample(type, id))
          .thenThrows({ code: 'NOT_FOUND', reason: 'MILESTONE_NOT_FOUND' });
      },
    );
  });

  describe('Progress (tiến độ) is reported per period with the causes of delay', () => {
    it('records the physical percentage and the causes, and keeps the latest', () => {
      const delayCauses = [
        { kind: 'objective', category: 'siteClearance', description: 'Chưa giải phóng xong mặt bằng' },
      ] as const;
      const state = projectSpec
        .given(live)
        .when('ReportProgress', {
          projectId: id,
          period: '2024-Q1',
          physicalPercent: 45.25,
          delayCauses: [...delayCauses],
        })
        .thenEmits([
          {
            type: 'ProgressReported',
            data: { period: '2024-Q1', physicalPercent: 45.25, delayCauses: [...delayCauses] },
          },
        ]);
      expect(state).toMatchObject({
        lastProgress: { revision: live.length, period: '2024-Q1', physicalPercent: 45.25, reportedOn: TODAY },
      });
    });

    it.each([
      ['a percentage above 100', { physicalPercent: 100.5 }, 'data.physicalPercent'],
      ['a percentage with three decimals', { physicalPercent: 45.125 }, 'data.physicalPercent'],
      ['a period that is not YYYY, YYYY-Qn or YYYY-MM', { period: '2024-Q5' }, 'data.period'],
      [
        'an unknown category of delay',
        { delayCauses: [{ kind: 'objective', category: 'luck' }] },
        'data.delayCauses.0.category',
      ],
    ])('refuses %s', (_, change, field) => {
      projectSpec
        .given(live)
        .when('ReportProgress', { ...sampleProgress(id), ...(change as object) })
        .thenThrows({ code: 'VALIDATION', field });
    });
  });

  describe('Periodic investor reports are quarterly or annual, once per period', () => {
    it.each([
      ['quarterly', '2024-Q1'],
      ['annual', '2023'],
    ] as const)('accepts a %s report for %s', (reportKind, period) => {
      const state = projectSpec
        .given(live)
        .when('SubmitPeriodicReport', { projectId: id, reportKind, period })
        .thenEmits([{ type: 'PeriodicReportSubmitted', data: { reportKind, period } }]);
      expect(state).toMatchObject({ periodicReports: [`${reportKind}:${period}`] });
    });

    it.each([
      ['annual', '2023-Q4'],
      ['quarterly', '2023'],
      ['quarterly', '2023-07'],
    ] as const)('refuses a %s report for period %s', (reportKind, period) => {
      projectSpec
        .given(live)
        .when('SubmitPeriodicReport', { projectId: id, reportKind, period })
        .thenThrows({ code: 'VALIDATION', field: 'data.period' });
    });

    it('refuses the same report twice, but not another kind for the same year', () => {
      const submitted = [
        ...live,
        on('2024-01-08', 'PeriodicReportSubmitted', { reportKind: 'annual', period: '2023' }),
      ];
      projectSpec
        .given(submitted)
        .when('SubmitPeriodicReport', { projectId: id, reportKind: 'annual', period: '2023' })
        .thenThrows({ code: 'ILLEGAL_TRANSITION', reason: 'REPORT_ALREADY_SUBMITTED' });
      projectSpec
        .given(submitted)
        .when('SubmitPeriodicReport', { projectId: id, reportKind: 'quarterly', period: '2023-Q4' })
        .thenEmits([
          { type: 'PeriodicReportSubmitted', data: { reportKind: 'quarterly', period: '2023-Q4' } },
        ]);
    });
  });

  describe('Inspections (kiểm tra) and sanctions (xử phạt) are counted and summed', () => {
    it('counts inspections', () => {
      const state = projectSpec
        .given([
          ...live,
          on('2023-02-01', 'InspectionRecorded', {
            inspectionKind: 'inspection',
            result: 'compliant',
            findings: 'Đạt',
          }),
        ])
        .when(sample('RecordInspection', id))
        .thenEmits([
          {
            type: 'InspectionRecorded',
            data: { inspectionKind: 'postInspection', result: 'compliant', findings: 'Đúng tiến độ cam kết' },
          },
        ]);
      expect(state).toMatchObject({ inspections: 2 });
    });

    it('sums the fines exactly', () => {
      const state = projectSpec
        .given([
          ...live,
          on('2023-02-01', 'ViolationSanctioned', { violation: 'Chậm tiến độ', fine: 70_000_000n }),
        ])
        .when('SanctionViolation', { projectId: id, violation: 'Chậm báo cáo', fine: '30000000' })
        .thenEmits([{ type: 'ViolationSanctioned', data: { violation: 'Chậm báo cáo', fine: 30_000_000n } }]);
      expect(state).toMatchObject({ sanctionedFines: 100_000_000n });
    });

    it('refuses a negative fine', () => {
      projectSpec
        .given(live)
        .when('SanctionViolation', { projectId: id, violation: 'x', fine: '-1' })
        .thenThrows({ code: 'VALIDATION', field: 'data.fine' });
    });
  });

  describe('Suspension (ngừng hoạt động) is a flag: suspend once, resume once, not before it began', () => {
    const suspended = [
      ...live,
      on('2023-10-01', 'ProjectSuspended', { ground: 'Điều 47', reason: 'Vi phạm môi trường' }),
    ];

    it('suspends a live project', () => {
      const state = projectSpec
        .given(live)
        .when(sample('SuspendProject', id))
        .thenEmits([
          {
            type: 'ProjectSuspended',
            data: { ground: 'Luật Đầu tư 2020 Điều 47 khoản 2', reason: 'Vi phạm quy định về môi trường' },
          },
        ]);
      expect(state).toMatchObject({
        suspension: { since: TODAY, ground: 'Luật Đầu tư 2020 Điều 47 khoản 2' },
      });
    });

    it('resumes a suspended project', () => {
      const state = projectSpec
        .given(suspended)
        .when(sample('ResumeProject', id))
        .thenEmits([{ type: 'ProjectResumed', data: { reason: 'Đã khắc phục vi phạm' } }]);
      expect(state).toMatchObject({ suspension: undefined }); // no longer suspended
    });

    it.each([
      [
        'suspending a suspended project',
        suspended,
        sample('SuspendProject', id),
        'ILLEGAL_TRANSITION',
        'PROJECT_SUSPENDED',
      ],
      [
        'resuming a project that is not suspended',
        live,
        sample('ResumeProject', id),
        'ILLEGAL_TRANSITION',
        'PROJECT_NOT_SUSPENDED',
      ],
      [
        'a resumption dated before the suspension',
        suspended,
        sample('ResumeProject', id, { effectiveAt: '2023-09-30' }),
        'VALIDATION',
        'DATE_OUT_OF_ORDER',
      ],
    ] as const)('refuses %s', (_, history, command, code, reason) => {
      projectSpec.given(history).when(command).thenThrows({ code, reason });
    });
  });

  describe('Reassigning the owner (giao chủ đầu tư khác) records who it was', () => {
    it('records the previous and the new owner', () => {
      const to = { name: 'Ban Quản lý dự án khu vực Hòa An', id: 'BQLDA_HoaAn' };
      const state = projectSpec
        .given(live)
        .when(sample('ReassignProjectOwner', id))
        .thenEmits([
          {
            type: 'ProjectOwnerReassigned',
            data: { from: f.owner, to, reason: 'Theo đề nghị của cơ quan đăng ký đầu tư' },
          },
        ]);
      expect(state).toMatchObject({ owner: to });
    });

    it('refuses the current owner, but accepts the same name under another tax code', () => {
      const { id: _, ...sameOwner } = f.owner;
      projectSpec
        .given(live)
        .when('ReassignProjectOwner', { projectId: id, to: sameOwner, reason: 'Không đổi' })
        .thenThrows({ code: 'VALIDATION', reason: 'NO_CHANGE', field: 'data.to' });
      const other = { name: f.owner.name, taxCode: '0100000001' };
      projectSpec
        .given(live)
        .when('ReassignProjectOwner', { projectId: id, to: other, reason: 'Pháp nhân khác' })
        .thenEmits([
          { type: 'ProjectOwnerReassigned', data: { from: f.owner, to: other, reason: 'Pháp nhân khác' } },
        ]);
    });
  });

  describe('Remapping the administrative unit (sắp xếp đơn vị hành chính) follows the 2025 reorganisation', () => {
    const remap = { province: '51', adminUnit: 'Xã Đăk Hà' };

    it('moves the project to its new province and commune, recording the old ones', () => {
      const state = projectSpec
        .given(live)
        .when('RemapAdministrativeUnit', {
          projectId: id,
          to: remap,
          reason: 'Nghị quyết sáp nhập tỉnh 2025',
        })
        .thenEmits([
          {
            type: 'AdministrativeUnitRemapped',
            data: {
              from: { province: '04', adminUnit: f.registration.adminUnit },
              to: remap,
              reason: 'Nghị quyết sáp nhập tỉnh 2025',
            },
          },
        ]);
      expect(state).toMatchObject({ province: '51', adminUnit: 'Xã Đăk Hà' });
    });

    it('refuses to remap to the current unit', () => {
      projectSpec
        .given(live)
        .when('RemapAdministrativeUnit', {
          projectId: id,
          to: { province: '04', adminUnit: f.registration.adminUnit },
          reason: 'x',
        })
        .thenThrows({ code: 'VALIDATION', reason: 'NO_CHANGE', field: 'data.to' });
    });
  });

  describe('A correction (đính chính) is a new event naming the revision it corrects', () => {
    const correct = (revision: number, field: string, to: string) => correction(id, revision, field, to);

    it('corrects the registered name, and a second correction starts from the corrected value', () => {
      const state = projectSpec
        .given(live)
        .when('CorrectEvent', correct(0, 'name', 'Dự án đã đính chính'))
        .thenEmits([corrected(0, 'ProjectRegistered', 'name', f.registration.name, 'Dự án đã đính chính')]);
      expect(state).toMatchObject({ name: 'Dự án đã đính chính' });
      projectSpec
        .given([
          ...live,
          on(
            TODAY,
            'EventCorrected',
            correctedData(0, 'ProjectRegistered', 'name', f.registration.name, 'Tên mới'),
          ),
        ])
        .when('CorrectEvent', correct(0, 'name', 'Tên mới hơn'))
        .thenEmits([corrected(0, 'ProjectRegistered', 'name', 'Tên mới', 'Tên mới hơn')]);
    });

    it('corrects the latest progress report, and an older one without touching the latest', () => {
      const report = (percent: number) =>
        on('2023-04-05', 'ProgressReported', {
          period: '2023-Q1',
          physicalPercent: percent,
          delayCauses: [],
        });
      const reported = [...live, report(40), report(50)];
      const latest = projectSpec
        .given(reported)
        .when('CorrectEvent', correct(live.length + 1, 'physicalPercent', '52.5'))
        .thenEmits([corrected(live.length + 1, 'ProgressReported', 'physicalPercent', '50', '52.5')]);
      expect(latest).toMatchObject({ lastProgress: { physicalPercent: 52.5 } });
      const older = projectSpec
        .given(reported)
        .when('CorrectEvent', correct(live.length, 'physicalPercent', '42'))
        .thenEmits([corrected(live.length, 'ProgressReported', 'physicalPercent', '40', '42')]);
      expect(older).toMatchObject({ lastProgress: { physicalPercent: 50 } });
    });

    const rescheduled = on('2023-05-01', 'MilestoneRescheduled', {
      milestoneId: 'KC01',
      from: '2023-06-30',
      to: '2023-12-31',
      reason: 'Mưa',
      causeKind: 'objective',
    });
    it.each([
      ['moves both dates of a milestone never rescheduled', [], '2023-07-31'],
      ['moves only the planned date of a rescheduled milestone', [rescheduled], '2023-12-31'],
    ])('correcting a due date %s', (_, extra, currentDue) => {
      const state = projectSpec
        .given([...live, milestone('KC01', '2023-06-30'), ...extra])
        .when('CorrectEvent', correct(live.length, 'dueDate', '2023-07-31'))
        .thenEmits([corrected(live.length, 'MilestonePlanned', 'dueDate', '2023-06-30', '2023-07-31')]);
      expect(state).toMatchObject({ milestones: { KC01: { plannedDue: '2023-07-31', currentDue } } });
    });

    it.each([
      ['a due date that is not a calendar date', [milestone()], 'dueDate', '2023-02-30'],
      ['a due date in another format', [milestone()], 'dueDate', '30/06/2023'],
      [
        'a percentage above 100',
        [on('2023-04-05', 'ProgressReported', { period: '2023', physicalPercent: 1, delayCauses: [] })],
        'physicalPercent',
        '101',
      ],
      ['a blank name', [], 'name', '   '],
    ] as const)('refuses %s', (_, extra, field, to) => {
      const revision = extra.length === 0 ? 0 : live.length;
      projectSpec
        .given([...live, ...extra])
        .when('CorrectEvent', correct(revision, field, to))
        .thenThrows({ code: 'VALIDATION', field: 'data.changes.0.to' });
    });

    it('refuses a field the corrected event does not allow, and a value that is already there', () => {
      projectSpec
        .given(live)
        .when('CorrectEvent', correct(0, 'owner', 'Người khác'))
        .thenThrows({ code: 'VALIDATION', reason: 'FIELD_NOT_ADJUSTABLE', field: 'data.changes.0.field' });
      projectSpec
        .given(live)
        .when('CorrectEvent', correct(0, 'sector', f.registration.sector))
        .thenThrows({ code: 'VALIDATION', reason: 'NO_CHANGE', field: 'data.changes.0.to' });
    });

    it('refuses a revision the stream does not have, and an event type that cannot be corrected', () => {
      projectSpec
        .given(live)
        .when('CorrectEvent', correct(live.length, 'name', 'x'))
        .thenThrows({ code: 'NOT_FOUND', reason: 'EVENT_NOT_FOUND' });
      projectSpec
        .given(live)
        .when('CorrectEvent', correct(1, 'name', 'x'))
        .thenThrows({ code: 'ILLEGAL_TRANSITION', reason: 'EVENT_NOT_CORRECTABLE' });
    });
  });
});

describe('Corrections of non-state amounts keep the totals exact', () => {
  it('corrects the proposed capital of the registration', () => {
    const state = projectSpec
      .given(nonStateUpTo('certified'))
      .when('CorrectEvent', correction(NS, 0, 'proposedCapital', '125000000000'))
      .thenEmits([corrected(0, 'ProjectRegistered', 'proposedCapital', '120000000000', '125000000000')]);
    expect(state).toMatchObject({ proposedCapital: 125n * TY });
  });

  it('corrects one capital contribution and the total contributed follows', () => {
    const contributed = [
      ...nonStateUpTo('certified'),
      on('2022-05-01', 'CapitalContributed', { amount: 20n * TY }),
      on('2022-08-01', 'CapitalContributed', { amount: 10n * TY }),
    ];
    const state = projectSpec
      .given(contributed)
      .when('CorrectEvent', correction(NS, 4, 'amount', '25000000000'))
      .thenEmits([corrected(4, 'CapitalContributed', 'amount', '20000000000', '25000000000')]);
    expect(state).toMatchObject({ capitalContributed: 35n * TY, certificate: { number: CERTIFICATE } });
  });

  it('refuses an amount that is not a positive whole number of đồng', () => {
    projectSpec
      .given(nonStateUpTo('certified'))
      .when('CorrectEvent', correction(NS, 0, 'proposedCapital', '1.2e11'))
      .thenThrows({ code: 'VALIDATION', field: 'data.changes.0.to' });
  });
});

function sampleProgress(projectId: string) {
  return { projectId, period: '2024-Q1', physicalPercent: 45, delayCauses: [] };
}
