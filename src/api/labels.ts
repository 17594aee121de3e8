// Names of the phases, portfolio statuses, families, groups and flags as people read them, in
// Vietnamese (the documents' language) and English. Phases per family: the same phase key can read
// differently under the two laws.
import type { NonStatePhase, ProjectGroup, PublicPhase } from '../domain/project/state.js';
import type { PortfolioStatus } from '../projections/portfolio.js';

export interface Label {
  readonly vi: string;
  readonly en: string;
}

const NON_STATE: Readonly<Record<NonStatePhase, Label>> = {
  registered: { vi: 'Đã đăng ký', en: 'Registered' },
  policyApproved: { vi: 'Đã chấp thuận chủ trương đầu tư', en: 'Investment policy approved' },
  investorApproved: { vi: 'Đã chấp thuận nhà đầu tư', en: 'Investor approved' },
  certified: {
    vi: 'Đã cấp Giấy chứng nhận đăng ký đầu tư',
    en: 'Investment registration certificate issued',
  },
  underConstruction: { vi: 'Đang xây dựng', en: 'Under construction' },
  constructed: { vi: 'Đã hoàn thành xây dựng', en: 'Construction completed' },
  operating: { vi: 'Đang hoạt động', en: 'In operation' },
  terminated: { vi: 'Đã chấm dứt hoạt động', en: 'Terminated' },
};

const PUBLIC: Readonly<Record<PublicPhase, Label>> = {
  registered: { vi: 'Đã đăng ký', en: 'Registered' },
  proposed: { vi: 'Đã trình chủ trương đầu tư', en: 'Policy proposal submitted' },
  appraised: { vi: 'Đã thẩm định', en: 'Appraised' },
  policyDecided: { vi: 'Đã quyết định chủ trương đầu tư', en: 'Investment policy decided' },
  investmentDecided: { vi: 'Đã quyết định đầu tư', en: 'Investment decided' },
  designApproved: { vi: 'Đã phê duyệt thiết kế, dự toán', en: 'Design and estimate approved' },
  implementing: { vi: 'Đang tổ chức thực hiện', en: 'Implementing' },
  underConstruction: { vi: 'Đang thi công', en: 'Under construction' },
  constructed: { vi: 'Đã hoàn thành thi công', en: 'Construction completed' },
  handedOver: { vi: 'Đã bàn giao đưa vào sử dụng', en: 'Handed over for use' },
  settled: { vi: 'Đã phê duyệt quyết toán', en: 'Final settlement approved' },
  cancelled: { vi: 'Đã hủy bỏ', en: 'Cancelled' },
};

export function phaseLabel(family: 'nonState' | 'public', phase: string): Label {
  const table: Readonly<Record<string, Label>> = family === 'public' ? PUBLIC : NON_STATE;
  return table[phase] ?? { vi: phase, en: phase };
}

/** The province report's categories (seed 003) by their Vietnamese headings. */
export const PORTFOLIO_STATUS_LABELS: Readonly<Record<PortfolioStatus, Label>> = {
  completedOperating: { vi: 'Đã hoàn thành đi vào hoạt động', en: 'Completed and in operation' },
  stopped: {
    vi: 'Hoàn thành hoặc xây dựng dở dang nhưng dừng hoạt động',
    en: 'Completed or partly built, but stopped',
  },
  underConstruction: { vi: 'Đang triển khai xây dựng', en: 'Under construction' },
  notStarted: { vi: 'Chưa triển khai', en: 'Not started' },
  terminated: { vi: 'Đã chấm dứt hoạt động', en: 'Terminated' },
};

/** The two families of projects, by the law each follows. */
export const FAMILY_LABELS: Readonly<Record<'nonState' | 'public', Label>> = {
  nonState: {
    vi: 'Dự án đầu tư ngoài ngân sách nhà nước',
    en: 'Non-state-budget investment project',
  },
  public: { vi: 'Dự án đầu tư công', en: 'Public investment project' },
};

/** Public projects' groups (Law on Public Investment): they set appraisal limits and allocation periods. */
export const GROUP_LABELS: Readonly<Record<ProjectGroup, Label>> = {
  national: { vi: 'Dự án quan trọng quốc gia', en: 'Project of national importance' },
  A: { vi: 'Dự án nhóm A', en: 'Group A project' },
  B: { vi: 'Dự án nhóm B', en: 'Group B project' },
  C: { vi: 'Dự án nhóm C', en: 'Group C project' },
};

export const PROJECT_FLAGS = ['suspended', 'overdue', 'unfunded'] as const;
export type ProjectFlag = (typeof PROJECT_FLAGS)[number];

/** Flags on top of the phase (DOMAIN.md: suspended, overdue and unfunded are not phases). */
export const FLAG_LABELS: Readonly<Record<ProjectFlag, Label>> = {
  suspended: { vi: 'Ngừng hoạt động', en: 'Suspended' },
  overdue: { vi: 'Chậm tiến độ', en: 'Overdue' },
  unfunded: { vi: 'Chưa được bố trí vốn', en: 'Unfunded' },
};
