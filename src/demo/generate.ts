// A demo province (Cao Bằng, code 04) as raw commands: non-state projects whose outcomes follow the
// shape of the 2022 report (operating, stopped, under construction, not started, revoked), public
// projects through proposal, appraisal, bid packages and settlement, and annual capital plans with
// allocations, disbursements and a reallocation. Deterministic (seeded), so loading it twice is a
// no-op: every command carries a stable commandId. Sorted by effective date, as history happened.
import { addDays, addMonths, type IsoDate } from '../domain/dates.js';
import { DEMO_ADMIN } from './directory.js';

export interface DemoOptions {
  readonly nonState?: number;
  readonly public?: number;
  readonly seed?: number;
  /** Nothing is dated after this day. */
  readonly today?: IsoDate;
}

type Raw = Record<string, unknown> & { effectiveAt: string; commandId: string };

const PROVINCE = '04';
const actors = {
  registrar: { userId: 'demo-dkdt', agencyId: 'so-tai-chinh-cb', role: 'registrationAuthority' },
  finance: { userId: 'demo-tc', agencyId: 'so-tai-chinh-cb', role: 'financeDepartment' },
  environment: {
    userId: 'demo-nnmt',
    agencyId: 'so-nong-nghiep-moi-truong-cb',
    role: 'environmentDepartment',
  },
  construction: { userId: 'demo-xd', agencyId: 'so-xay-dung-cb', role: 'constructionDepartment' },
  board: { userId: 'demo-ban', agencyId: 'ban-qlda-cb', role: 'managementBoard' },
  inspector: { userId: 'demo-thanh-tra', agencyId: 'thanh-tra-cb', role: 'inspector' },
} as const;
const UNITS = [
  'Thành phố Cao Bằng',
  'Huyện Hòa An',
  'Huyện Trùng Khánh',
  'Huyện Quảng Hòa',
  'Huyện Bảo Lạc',
  'Huyện Hạ Lang',
];
const SECTORS = ['agroProcessing', 'tourism', 'mining', 'energy', 'industry', 'trade', 'urban'];
const PUBLIC_SECTORS = ['transport', 'irrigation', 'education', 'health', 'eGovernment', 'urban'];
const NAMES = [
  'Nhà máy chế biến',
  'Khu du lịch sinh thái',
  'Thủy điện',
  'Trung tâm thương mại',
  'Khu dân cư',
  'Nhà máy gạch không nung',
];
const PUBLIC_NAMES = [
  'Đường giao thông',
  'Hồ chứa nước',
  'Trường THCS',
  'Trạm y tế',
  'Hệ thống một cửa điện tử',
  'Kè chống sạt lở',
];
const TY = 1_000_000_000n;

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateDemo(options: DemoOptions = {}): Raw[] {
  const rand = rng(options.seed ?? 2022);
  const today = options.today ?? ('2026-11-01' as IsoDate);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const out: Raw[] = [];
  let seq = 0;
  const emit = (type: string, actor: object, effectiveAt: IsoDate, data: object, document?: string) => {
    if (effectiveAt > today) return false;
    out.push({
      type,
      commandId: `demo-${String(++seq).padStart(6, '0')}`,
      actor,
      effectiveAt,
      ...(document && { document: { number: document, date: effectiveAt, issuer: 'UBND tỉnh Cao Bằng' } }),
      data,
    });
    return true;
  };

  for (let i = 1; i <= (options.nonState ?? 150); i++) {
    const projectId = `CB${String(i).padStart(4, '0')}`;
    let d =
      `${int(2017, 2023)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}` as IsoDate;
    const capital = BigInt(int(5, 900)) * TY;
    const p = { projectId };
    emit('RegisterProject', actors.registrar, d, {
      projectId,
      family: 'nonState',
      name: `${pick(NAMES)} ${pick(UNITS).replace(/^(Huyện|Thành phố) /, '')} ${i}`,
      code: `CB-NNS-${i}`,
      province: PROVINCE,
      adminUnit: pick(UNITS),
      agencyId: 'so-tai-chinh-cb',
      sector: pick(SECTORS),
      owner: {
        name: `Công ty CP Đầu tư ${i}`,
        id: `inv-${i}`,
        taxCode: `48${String(10_000_000 + i * 7919).slice(0, 8)}`,
      },
      proposedCapital: capital.toString(),
    });
    const outcome = rand();
    d = addDays(d, int(20, 90));
    emit(
      'ApproveInvestmentPolicy',
      actors.registrar,
      d,
      {
        ...p,
        approvedCapital: capital.toString(),
        durationYears: int(20, 50),
        landAreaM2: int(5, 300) * 1000,
      },
      `${100 + i}/QĐ-UBND`,
    );
    d = addDays(d, int(5, 20));
    emit('IssueInvestmentCertificate', actors.registrar, d, {
      ...p,
      certificateNumber: `${1_000_000 + i}`,
      registeredCapital: capital.toString(),
      schedule: [
        {
          milestoneId: 'capital',
          kind: 'capitalContribution',
          name: 'Góp đủ vốn',
          dueDate: addMonths(d, 12),
        },
        {
          milestoneId: 'start',
          kind: 'constructionStart',
          name: 'Khởi công xây dựng',
          dueDate: addMonths(d, 9),
        },
        { milestoneId: 'operation', kind: 'operation', name: 'Đi vào hoạt động', dueDate: addMonths(d, 30) },
      ],
    });
    const certOn = d;
    emit('PayDeposit', actors.registrar, addDays(d, 10), {
      ...p,
      amount: ((capital * 3n) / 100n).toString(),
    });
    emit('AllocateLand', actors.environment, addDays(d, 30), { ...p, areaM2: 20_000, form: 'lease' });
    d = addDays(d, 30);
    if (outcome < 0.16) {
      // Not started: the construction start slips, causes recorded; some are terminated and revoked.
      emit('RescheduleMilestone', actors.registrar, addMonths(certOn, 8), {
        ...p,
        milestoneId: 'start',
        to: addMonths(certOn, 20),
        reason: 'Chưa hoàn thành giải phóng mặt bằng',
        causeKind: 'objective',
      });
      emit('ReportProgress', actors.registrar, addMonths(certOn, 10), {
        ...p,
        period: `${addMonths(certOn, 10).slice(0, 4)}-Q4`,
        physicalPercent: 0,
        delayCauses: [
          { kind: 'objective', category: 'siteClearance' },
          { kind: 'subjective', category: 'investorCapacity' },
        ],
      });
      if (outcome < 0.07) {
        const at = addMonths(certOn, int(24, 36));
        emit('RecordInspection', actors.inspector, at, {
          ...p,
          inspectionKind: 'postInspection',
          result: 'violationsFound',
          findings: 'Chậm tiến độ quá 24 tháng, không góp vốn',
        });
        emit(
          'TerminateProject',
          actors.registrar,
          addDays(at, 30),
          { ...p, ground: 'notImplemented', reason: 'Không triển khai dự án theo tiến độ đăng ký (Điều 48)' },
          `${500 + i}/QĐ-UBND`,
        );
        emit(
          'RevokeInvestmentCertificate',
          actors.registrar,
          addDays(at, 30),
          { ...p, reason: 'Chấm dứt hoạt động dự án' },
          `${500 + i}/QĐ-UBND`,
        );
        emit('ForfeitDeposit', actors.finance, addDays(at, 45), {
          ...p,
          amount: ((capital * 3n) / 100n).toString(),
          reason: 'Dự án bị chấm dứt do vi phạm tiến độ',
        });
      }
      continue;
    }
    emit('HandOverLand', actors.environment, addDays(d, 40), { ...p, areaM2: 20_000 });
    d = addMonths(certOn, int(6, 14));
    if (!emit('StartConstruction', actors.construction, d, p)) continue;
    emit('CompleteMilestone', actors.construction, d, { ...p, milestoneId: 'start', completedOn: d });
    emit('ContributeCapital', actors.registrar, addDays(d, 20), {
      ...p,
      amount: ((capital * 6n) / 10n).toString(),
    });
    emit('ReportProgress', actors.construction, addMonths(d, 3), {
      ...p,
      period: `${addMonths(d, 3).slice(0, 4)}-Q2`,
      physicalPercent: int(10, 40),
      delayCauses: [],
    });
    if (outcome < 0.28) {
      // Under construction, behind its operation date.
      emit('RescheduleMilestone', actors.registrar, addMonths(d, 12), {
        ...p,
        milestoneId: 'operation',
        to: addMonths(certOn, 48),
        reason: 'Khó khăn về vốn',
        causeKind: 'subjective',
      });
      continue;
    }
    d = addMonths(d, int(12, 24));
    if (!emit('CompleteConstruction', actors.construction, d, p)) continue;
    if (outcome < 0.35) {
      // Built (or partly) but stopped.
      emit(
        'SuspendProject',
        actors.registrar,
        addMonths(d, 2),
        {
          ...p,
          ground: 'Điều 47 Luật Đầu tư',
          reason: 'Nhà đầu tư đề nghị ngừng hoạt động do khó khăn tài chính',
        },
        `${700 + i}/QĐ-UBND`,
      );
      continue;
    }
    emit('ContributeCapital', actors.registrar, addDays(d, 10), {
      ...p,
      amount: ((capital * 4n) / 10n).toString(),
    });
    emit('CompleteMilestone', actors.registrar, addDays(d, 10), {
      ...p,
      milestoneId: 'capital',
      completedOn: addDays(d, 10),
    });
    d = addMonths(d, int(1, 4));
    if (emit('StartOperation', actors.registrar, d, p)) {
      emit('CompleteMilestone', actors.registrar, d, { ...p, milestoneId: 'operation', completedOn: d });
      emit('SubmitPeriodicReport', actors.registrar, addMonths(d, 3), {
        ...p,
        reportKind: 'annual',
        period: d.slice(0, 4),
      });
    }
  }

  const publicIds: { id: string; from: IsoDate; to: IsoDate }[] = []; // when each may receive capital
  for (let j = 1; j <= (options.public ?? 80); j++) {
    const projectId = `CBPUB${String(j).padStart(3, '0')}`;
    const p = { projectId };
    const group = pick(['B', 'C', 'C', 'C'] as const);
    const total = BigInt(group === 'B' ? int(120, 900) : int(10, 110)) * TY;
    let d =
      `${int(2019, 2024)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}` as IsoDate;
    emit('RegisterProject', actors.board, d, {
      projectId,
      family: 'public',
      name: `${pick(PUBLIC_NAMES)} ${pick(UNITS).replace(/^(Huyện|Thành phố) /, '')} ${j}`,
      code: `CB-DTC-${j}`,
      province: PROVINCE,
      adminUnit: pick(UNITS),
      agencyId: 'ban-qlda-cb',
      sector: pick(PUBLIC_SECTORS),
      group,
      owner: { name: 'Ban Quản lý dự án đầu tư xây dựng tỉnh Cao Bằng', id: 'ban-qlda-cb' },
    });
    const stage = rand();
    d = addDays(d, int(10, 40));
    emit('SubmitPolicyProposal', actors.board, d, { ...p, totalInvestment: total.toString(), group });
    if (stage < 0.15) continue; // policy proposal under appraisal
    d = addDays(d, int(20, 70));
    if (stage < 0.25) {
      emit('ReturnAppraisal', actors.finance, d, { ...p, reason: 'Hồ sơ chưa đủ cơ sở xác định nguồn vốn' });
      d = addDays(d, 30);
      emit('SubmitPolicyProposal', actors.board, d, { ...p, totalInvestment: total.toString(), group });
      d = addDays(d, 30);
    }
    emit('CompleteAppraisal', actors.finance, d, {
      ...p,
      conclusion: 'Đủ điều kiện trình quyết định chủ trương đầu tư',
    });
    d = addDays(d, int(10, 30));
    emit(
      'DecideInvestmentPolicy',
      actors.board,
      d,
      { ...p, totalInvestment: total.toString(), group },
      `${2000 + j}/NQ-HĐND`,
    );
    if (stage < 0.32) continue; // approved in principle, no funding yet
    emit('AssignFundingSource', actors.finance, addDays(d, 20), {
      ...p,
      source: 'provincial',
      amount: total.toString(),
    });
    d = addDays(d, int(60, 180));
    const period = group === 'B' ? 4 : 3;
    emit(
      'DecideInvestment',
      actors.board,
      d,
      { ...p, totalInvestment: total.toString(), completionDeadline: addMonths(d, period * 12 - 6) },
      `${3000 + j}/QĐ-UBND`,
    );
    const funded = { id: projectId, from: d, to: addMonths(d, period * 12) };
    publicIds.push(funded);
    if (stage < 0.4) continue; // finishing design
    d = addDays(d, int(30, 120));
    emit('ApproveDesignEstimate', actors.construction, d, {
      ...p,
      estimate: ((total * 95n) / 100n).toString(),
    });
    d = addDays(d, int(20, 60));
    emit('AwardBidPackage', actors.board, d, {
      ...p,
      packageId: 'XL01',
      name: 'Gói thầu xây lắp số 01',
      contractor: { name: `Công ty TNHH Xây dựng ${j}` },
      price: ((total * 80n) / 100n).toString(),
    });
    emit('SignContract', actors.board, addDays(d, 15), {
      ...p,
      packageId: 'XL01',
      contractNumber: `${j}/2024/HĐXD`,
      value: ((total * 80n) / 100n).toString(),
    });
    if (stage < 0.55) continue; // implementing bid packages
    d = addDays(d, int(20, 45));
    emit('StartConstruction', actors.construction, d, p);
    if (stage < 0.62) {
      emit('SuspendProject', actors.board, addMonths(d, 5), {
        ...p,
        ground: 'Tạm dừng thi công',
        reason: 'Vướng mặt bằng',
      });
      continue;
    }
    if (stage < 0.75) continue;
    d = addMonths(d, int(10, 24));
    if (!emit('CompleteConstruction', actors.construction, d, p)) continue;
    d = addDays(d, int(20, 60));
    emit('HandOverWorks', actors.board, d, { ...p, recipient: `UBND ${pick(UNITS)}` });
    if (stage < 0.9) continue;
    const settledOn = addMonths(d, int(6, 10));
    if (
      emit('ApproveSettlement', actors.finance, settledOn, {
        ...p,
        settledValue: ((total * 93n) / 100n).toString(),
      })
    ) {
      funded.to = settledOn < funded.to ? settledOn : funded.to; // nothing is allocated to a settled project
    }
  }

  for (let year = 2021; year <= Number(today.slice(0, 4)); year++) {
    const live = publicIds.filter((x) => x.from.slice(0, 4) <= String(year) && x.to >= `${year}-12-31`);
    const assignedOn = `${year}-01-10` as IsoDate;
    const plan = { province: PROVINCE, year };
    if (
      !emit('AssignAnnualCapitalPlan', actors.finance, assignedOn, {
        ...plan,
        total: (BigInt(live.length + 5) * 40n * TY).toString(),
      })
    )
      continue;
    live.forEach((x, k) => {
      const on = (x.from > assignedOn ? x.from : assignedOn) as IsoDate;
      if (on.slice(0, 4) !== String(year)) return;
      emit('AllocateCapital', actors.finance, on, {
        ...plan,
        projectId: x.id,
        amount: (BigInt(20 + (k % 15)) * TY).toString(),
      });
      for (const month of ['04', '08', '12']) {
        const at = `${year}-${month}-25` as IsoDate;
        if (at > on && rand() < 0.8) {
          emit('DisburseCapital', actors.finance, at, {
            ...plan,
            projectId: x.id,
            amount: (BigInt(2 + (k % 5)) * TY).toString(),
            source: 'provincial',
            disbursedOn: at,
          });
        }
      }
    });
    const [slow, fast] = live.filter((x) => x.from.slice(0, 4) < String(year));
    if (slow && fast) {
      emit('ReallocateCapital', actors.finance, `${year}-10-15` as IsoDate, {
        ...plan,
        fromProjectId: slow.id,
        toProjectId: fast.id,
        amount: (5n * TY).toString(),
        reason: 'Điều chuyển vốn từ dự án giải ngân chậm sang dự án giải ngân tốt',
      });
    }
  }

  out.push(...caoBangMap(today));

  // History as it happened: by effective date, file order kept within a day.
  return out
    .map((c, n) => ({ c, n }))
    .sort((a, b) =>
      a.c.effectiveAt < b.c.effectiveAt ? -1 : a.c.effectiveAt > b.c.effectiveAt ? 1 : a.n - b.n,
    )
    .map((x) => x.c);
}

/**
 * The administrative map of the demo (reference data, stream adminmap-VN): Cao Bằng and its district
 * units, then the 2025 reorganisation, when the districts ended (1/7/2025) and the province took them
 * over. Ids of their own (`demo-map-…`), so the ids of the commands above stay what they were.
 */
function caoBangMap(today: IsoDate): Raw[] {
  const out: Raw[] = [];
  const emit = (type: string, effectiveAt: string, data: object) => {
    if (effectiveAt > today) return;
    const commandId = `demo-map-${String(out.length + 1).padStart(3, '0')}`;
    // Reference data: the administrator's to change (src/domain/access.ts).
    out.push({ type, commandId, actor: DEMO_ADMIN, effectiveAt, data });
  };
  emit('EstablishUnit', '2017-01-01', { unitId: PROVINCE, name: 'Tỉnh Cao Bằng', level: 'province' });
  const districts = UNITS.map((name) => `${PROVINCE}:${name}`);
  for (const [i, unitId] of districts.entries())
    emit('EstablishUnit', '2017-01-01', { unitId, name: UNITS[i], level: 'district', parentId: PROVINCE });
  emit('MergeUnits', '2025-07-01', {
    from: districts,
    into: PROVINCE,
    reason: 'Không tổ chức đơn vị hành chính cấp huyện từ 1/7/2025 (chính quyền địa phương hai cấp)',
  });
  return out;
}
