// The demo province's directory: its agencies, a user for each actor the demo's commands name, and the
// users whose ready-to-use tokens `npm start` prints (registration authority, investor, reviewer,
// supervisor). Loaded before the demo's commands, with stable command ids, so a second start writes
// nothing. Entered by the demo's administrator, as any directory change is.
import type { Role } from '../domain/envelope.js';

type Raw = Record<string, unknown> & { effectiveAt: string; commandId: string };

export const DEMO_ADMIN = { userId: 'demo-admin', agencyId: 'ubnd-cb', role: 'administrator' } as const;

const AGENCIES: readonly [id: string, name: string, kind: string, adminUnit?: string][] = [
  ['ubnd-cb', 'Ủy ban nhân dân tỉnh Cao Bằng', 'provincialCommittee'],
  ['so-tai-chinh-cb', 'Sở Tài chính tỉnh Cao Bằng', 'department'],
  ['so-nong-nghiep-moi-truong-cb', 'Sở Nông nghiệp và Môi trường tỉnh Cao Bằng', 'department'],
  ['so-xay-dung-cb', 'Sở Xây dựng tỉnh Cao Bằng', 'department'],
  ['thanh-tra-cb', 'Thanh tra tỉnh Cao Bằng', 'department'],
  ['ban-qlda-cb', 'Ban Quản lý dự án đầu tư xây dựng tỉnh Cao Bằng', 'managementBoard'],
  ['ubnd-tp-cao-bang', 'UBND Thành phố Cao Bằng', 'communeCommittee', 'Thành phố Cao Bằng'],
  ['inv-1', 'Công ty CP Đầu tư 1', 'enterprise'],
];

/** The demo's users: the actors of generate.ts, and those whose tokens start prints. */
const USERS: readonly [id: string, name: string, agencyId: string, role: Role][] = [
  [DEMO_ADMIN.userId, 'Quản trị hệ thống', DEMO_ADMIN.agencyId, 'administrator'],
  ['demo-dkdt', 'Phòng Đăng ký đầu tư', 'so-tai-chinh-cb', 'registrationAuthority'],
  ['demo-tc', 'Phòng Kế hoạch vốn', 'so-tai-chinh-cb', 'financeDepartment'],
  ['demo-nnmt', 'Phòng Đất đai', 'so-nong-nghiep-moi-truong-cb', 'environmentDepartment'],
  ['demo-xd', 'Phòng Quản lý xây dựng', 'so-xay-dung-cb', 'constructionDepartment'],
  ['demo-ban', 'Ban QLDA', 'ban-qlda-cb', 'managementBoard'],
  ['demo-thanh-tra', 'Thanh tra viên', 'thanh-tra-cb', 'inspector'],
  ['demo-xa', 'UBND Thành phố Cao Bằng', 'ubnd-tp-cao-bang', 'communeCommittee'],
  ['demo-nd-1', 'Nhà đầu tư (Công ty CP Đầu tư 1)', 'inv-1', 'investor'],
  ['demo-reviewer', 'Chuyên viên theo dõi', 'ubnd-cb', 'reviewer'],
  ['demo-supervisor', 'Lãnh đạo giám sát', 'ubnd-cb', 'supervisor'],
];

/** The users `npm start` prints a token for, with what each may try. */
export const DEMO_TOKEN_USERS: readonly { userId: string; role: Role; note: string }[] = [
  { userId: 'demo-dkdt', role: 'registrationAuthority', note: 'issues, adjusts and revokes certificates' },
  { userId: 'demo-nd-1', role: 'investor', note: 'sees and reports on its own project CB0001 only' },
  { userId: 'demo-reviewer', role: 'reviewer', note: 'reads everything, changes nothing' },
  { userId: 'demo-supervisor', role: 'supervisor', note: 'reads everything, replays and verifies' },
];

const ON = '2017-01-01';

export function demoDirectory(): Raw[] {
  let seq = 0;
  const raw = (type: string, data: Record<string, unknown>): Raw => ({
    type,
    commandId: `demo-dir-${String(++seq).padStart(4, '0')}`,
    actor: DEMO_ADMIN,
    effectiveAt: ON,
    data,
  });
  return [
    ...AGENCIES.map(([agencyId, name, kind, adminUnit]) =>
      raw('RegisterAgency', { agencyId, name, kind, province: '04', ...(adminUnit && { adminUnit }) }),
    ),
    ...USERS.map(([userId, name, agencyId, role]) => raw('RegisterUser', { userId, name, agencyId, role })),
  ];
}
