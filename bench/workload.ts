// Realistic commands for the benchmark, as raw JSON the way a client or an import file sends them:
// projects of both families in Cao Bằng (province 04), their milestones and monthly progress
// reports with causes of delay, and an annual capital plan allocated to the public projects.

const registrar = { userId: 'u-dkdt-01', agencyId: 'so-tai-chinh-cb', role: 'registrationAuthority' };
// Plans milestones and reports progress on every project, of either family: the role matrix lets the
// construction department do that anywhere (a management board only on its own projects).
const construction = { userId: 'u-xd-07', agencyId: 'so-xay-dung-cb', role: 'constructionDepartment' };
const finance = { userId: 'u-tc-03', agencyId: 'so-tai-chinh-cb', role: 'financeDepartment' };

const document = (n: number, date: string) => ({
  number: `${1000 + (n % 8000)}/QĐ-UBND`,
  date,
  issuer: 'UBND tỉnh Cao Bằng',
});

export type RawCommand = Record<string, unknown>;

export const projectIdOf = (n: number) => `P${n.toString().padStart(6, '0')}`;
const isPublic = (n: number) => n % 2 === 0;

export function registerProject(n: number, commandId?: string): RawCommand {
  const projectId = projectIdOf(n);
  const pub = isPublic(n);
  return {
    type: 'RegisterProject',
    ...(commandId && { commandId }),
    actor: registrar,
    effectiveAt: '2024-01-10',
    document: document(n, '2024-01-10'),
    data: {
      projectId,
      family: pub ? 'public' : 'nonState',
      name: pub ? `Đường giao thông liên xã số ${n}, huyện Hòa An` : `Nhà máy chế biến nông sản số ${n}`,
      province: '04',
      adminUnit: pub ? 'Huyện Hòa An' : 'Thành phố Cao Bằng',
      agencyId: pub ? 'ban-qlda-giao-thong-cb' : 'so-tai-chinh-cb',
      sector: pub ? 'transport' : 'agroProcessing',
      ...(pub && { group: 'C' }),
      owner: pub
        ? {
            name: 'Ban Quản lý dự án đầu tư xây dựng công trình giao thông tỉnh Cao Bằng',
            id: 'ban-qlda-giao-thong-cb',
          }
        : { name: `Công ty Cổ phần Nông sản Cao Bằng ${n}`, id: `inv-${n}`, taxCode: '4800123456' },
      location: 'Xã Bạch Đằng, huyện Hòa An, tỉnh Cao Bằng',
      proposedCapital: String(45_000_000_000 + n * 1_000_000),
    },
  };
}

export function planMilestone(n: number, k: number, commandId?: string): RawCommand {
  const kinds = ['siteClearance', 'constructionStart', 'constructionCompletion', 'handover', 'other'];
  return {
    type: 'PlanMilestone',
    ...(commandId && { commandId }),
    actor: construction,
    effectiveAt: '2024-02-01',
    data: {
      projectId: projectIdOf(n),
      milestoneId: `m${k}`,
      kind: kinds[k % kinds.length],
      name: `Hoàn thành hạng mục ${k}: giải phóng mặt bằng, thi công nền đường và hệ thống thoát nước đoạn Km${k}+000 – Km${k + 1}+500`,
      dueDate: `${2025 + (k % 3)}-${String(1 + (k % 12)).padStart(2, '0')}-15`,
    },
  };
}

const NOTE =
  'Khối lượng thực hiện trong kỳ: hoàn thành đào đắp nền đường, thi công cống thoát nước ngang và tường chắn đoạn qua khu dân cư; ' +
  'đang thi công lớp móng cấp phối đá dăm. Vướng mắc: còn 3 hộ chưa nhận tiền bồi thường, hỗ trợ tái định cư; giá vật liệu ' +
  'xây dựng (thép, xi măng, nhựa đường) tăng so với dự toán được duyệt; mưa kéo dài làm gián đoạn thi công. Kiến nghị UBND huyện ' +
  'đẩy nhanh công tác giải phóng mặt bằng và Sở Xây dựng công bố điều chỉnh giá vật liệu.';

export function reportProgress(n: number, k: number, commandId?: string): RawCommand {
  const month = 2 + (k % 11);
  return {
    type: 'ReportProgress',
    ...(commandId && { commandId }),
    actor: construction,
    effectiveAt: `2024-${String(month).padStart(2, '0')}-28`,
    data: {
      projectId: projectIdOf(n),
      period: `2024-${String(month).padStart(2, '0')}`,
      physicalPercent: Math.min(100, 5 + ((k * 7) % 90)),
      delayCauses: [
        {
          kind: 'objective',
          category: 'siteClearance',
          description: 'Một số hộ dân chưa đồng thuận phương án bồi thường',
        },
        {
          kind: 'subjective',
          category: 'contractor',
          description: 'Nhà thầu huy động thiết bị, nhân lực chưa đủ theo tiến độ',
        },
      ],
      note: NOTE,
    },
  };
}

export function assignCapitalPlan(commandId?: string): RawCommand {
  return {
    type: 'AssignAnnualCapitalPlan',
    ...(commandId && { commandId }),
    actor: finance,
    effectiveAt: '2024-01-05',
    document: { number: '4596/KH-UBND', date: '2024-01-05', issuer: 'UBND tỉnh Cao Bằng' },
    data: { province: '04', year: 2024, total: '5000000000000' },
  };
}

export function allocateCapital(n: number, commandId?: string): RawCommand {
  return {
    type: 'AllocateCapital',
    ...(commandId && { commandId }),
    actor: finance,
    effectiveAt: '2024-03-15',
    data: { province: '04', year: 2024, projectId: projectIdOf(n), amount: String(1_500_000_000 + n * 1000) },
  };
}

/** A public project's path to fundable: policy proposal, appraisal, policy decision (group C). */
export function decidePolicy(n: number, commandIds: readonly string[] = []): RawCommand[] {
  const projectId = projectIdOf(n);
  const total = String(45_000_000_000 + n * 1_000_000);
  const step = (type: string, effectiveAt: string, data: Record<string, unknown>, k: number): RawCommand => ({
    type,
    ...(commandIds[k] && { commandId: commandIds[k] }),
    actor: finance,
    effectiveAt,
    document: document(n + k, effectiveAt),
    data: { projectId, ...data },
  });
  return [
    step('SubmitPolicyProposal', '2024-01-20', { totalInvestment: total, group: 'C' }, 0),
    step(
      'CompleteAppraisal',
      '2024-02-10',
      { conclusion: 'Đủ điều kiện trình quyết định chủ trương đầu tư' },
      1,
    ),
    step('DecideInvestmentPolicy', '2024-02-25', { totalInvestment: total, group: 'C' }, 2),
  ];
}

/**
 * An import file's worth of commands in a realistic order, ten per project: each project registered,
 * then (public projects) proposed, appraised and decided, its milestones planned and monthly progress
 * reported, and (public projects) capital allocated from the year's plan, which is assigned up front.
 * Every line has a command id, so a re-run counts duplicates.
 */
export function* importWorkload(lines: number, firstProject: number): Generator<RawCommand> {
  const id = (i: number) => `bench-import-${i}`;
  let i = 0;
  yield assignCapitalPlan(id(i++));
  for (let p = firstProject; i < lines; p++) {
    const ids = Array.from({ length: 10 }, (_, k) => id(i + k));
    const steps = isPublic(p)
      ? [
          registerProject(p, ids[0]),
          ...decidePolicy(p, ids.slice(1, 4)),
          planMilestone(p, 1, ids[4]),
          planMilestone(p, 2, ids[5]),
          ...[0, 1, 2].map((k) => reportProgress(p, k, ids[6 + k])),
          allocateCapital(p, ids[9]),
        ]
      : [
          registerProject(p, ids[0]),
          ...[1, 2, 3].map((k) => planMilestone(p, k, ids[k])),
          ...[0, 1, 2, 3, 4, 5].map((k) => reportProgress(p, k, ids[4 + k])),
        ];
    for (const s of steps.slice(0, lines - i)) {
      yield s;
      i++;
    }
  }
}
