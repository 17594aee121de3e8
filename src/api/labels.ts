// Names of the phases and portfolio statuses as people read them, in Vietnamese (the documents' language) and English, per
// family: the same phase key can read differently under the two laws.
import type { NonStatePhase, PublicPhase } from '../domain/project/state.js';
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
