// Raw command JSON as a client sends it (what the CLI, the import and GraphQL hand to the handler),
// with actors and registrations reused across specs.
export const actors = {
  registrar: { userId: 'u-dkdt-01', agencyId: 'so-tai-chinh-cb', role: 'registrationAuthority' },
  finance: { userId: 'u-tc-01', agencyId: 'so-tai-chinh-cb', role: 'financeDepartment' },
  reviewer: { userId: 'u-tt-01', agencyId: 'thanh-tra-cb', role: 'reviewer' },
  investor: { userId: 'u-nd-01', agencyId: 'inv-hoang-long', role: 'investor' },
  otherInvestor: { userId: 'u-nd-02', agencyId: 'inv-khac', role: 'investor' },
  admin: { userId: 'u-qt-01', agencyId: 'ubnd-cb', role: 'administrator' },
} as const;

export interface RawOptions {
  commandId?: string;
  actor?: (typeof actors)[keyof typeof actors];
  effectiveAt?: string;
  expectedRevision?: number | string;
  regime?: string;
  document?: { number: string; date: string; issuer: string };
}

export function raw(
  type: string,
  data: Record<string, unknown>,
  o: RawOptions = {},
): Record<string, unknown> {
  return {
    type,
    actor: o.actor ?? actors.registrar,
    effectiveAt: o.effectiveAt ?? '2022-03-01',
    data,
    ...(o.commandId && { commandId: o.commandId }),
    ...(o.expectedRevision !== undefined && { expectedRevision: o.expectedRevision }),
    ...(o.regime && { regime: o.regime }),
    ...(o.document && { document: o.document }),
  };
}

export const registerNonState = (projectId: string, o: RawOptions = {}) =>
  raw(
    'RegisterProject',
    {
      projectId,
      family: 'nonState',
      name: 'Nhà máy chế biến nông sản Hoàng Long',
      province: '04',
      adminUnit: 'Thành phố Cao Bằng',
      agencyId: 'so-tai-chinh-cb',
      sector: 'agroProcessing',
      owner: { name: 'Công ty CP Hoàng Long', id: 'inv-hoang-long', taxCode: '4800123456' },
      proposedCapital: '120000000000',
    },
    { effectiveAt: '2022-01-10', ...o },
  );

export const registerPublic = (projectId: string, o: RawOptions = {}) =>
  raw(
    'RegisterProject',
    {
      projectId,
      family: 'public',
      name: 'Đường tránh Quốc lộ 3',
      province: '04',
      adminUnit: 'Huyện Hòa An',
      agencyId: 'ban-qlda-giao-thong-cb',
      sector: 'transport',
      group: 'B',
      owner: { name: 'Ban QLDA đầu tư xây dựng các công trình giao thông', id: 'ban-qlda-giao-thong-cb' },
    },
    { effectiveAt: '2021-05-04', ...o },
  );
