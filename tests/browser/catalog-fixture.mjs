// One complete item document (checked by catalog_check_item) for the
// catalog browser test: seeded through POST /api/v1/catalog/import so the
// test does not depend on the demo catalog's contents.

export const CODE = 'T90000000001';

export const ITEM = {
  basic_code: CODE,
  impl_code: 'T9000000000100001',
  handle_code: 'T900000000010000101',
  name: '测试用灵活就业人员社保登记',
  aliases: ['灵活就业参保'],
  keywords: ['社保', '灵活就业'],
  type_code: '07',
  level: '县级',
  department: '人社局',
  domain: '社保医保',
  service_object: ['自然人'],
  handling_forms: ['窗口', '网办'],
  case_kind: 'promise',
  statutory_limit: { value: 20, unit: 'working_day' },
  promised_limit: { value: 10, unit: 'working_day' },
  conditions: ['在本县从事灵活就业的劳动者'],
  legal_basis: ['《中华人民共和国社会保险法》第十条'],
  steps: [
    { name: '受理', share: 1, role: 'clerk' },
    { name: '审查', share: 7, role: 'reviewer' },
    { name: '决定', share: 2, role: 'chief_rep' },
  ],
  special_procedures: [],
  visits: 1,
  cross_region: 'province',
  result: { name: '参保登记确认', kind: 'record' },
  fees: [],
  place: '县政务服务中心一楼社保医保综合窗口',
  hours: '周一至周五 上午8:30-12:00，下午14:00-17:30（法定节假日除外）',
  consult_phone: '0379-66110001',
  complaint_phone: '12345',
  faq: [{ q: '可以网上办理吗？', a: '可以，通过省政务服务网办理。' }],
  materials: [
    { key: 'id_card', name: '居民身份证', kind: 'e_certificate', form: 'electronic', count: 1, requirement: 'required', source: 'government' },
    { key: 'form', name: '灵活就业人员参保登记表', kind: 'original', form: 'paper', count: 1, requirement: 'required', source: 'applicant', blank_form: '参保登记表.pdf' },
    { key: 'proxy', name: '授权委托书', kind: 'original', form: 'paper', count: 1, requirement: 'required', source: 'applicant', always: false },
  ],
  situations: {
    start: 'q1',
    questions: [
      {
        key: 'q1',
        text: '是否委托他人代办？',
        options: [
          { key: 'self', text: '本人办理' },
          { key: 'proxy', text: '委托代办', materials: ['proxy'] },
        ],
      },
    ],
  },
};

export const CATALOG = { format: 'yichuang-catalog', format_version: 1, items: [ITEM], bundles: [] };
