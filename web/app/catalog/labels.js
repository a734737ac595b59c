// Chinese names of the catalog's codes, mirroring catalog_label() in
// src/core/catalog.c (the server checks the same enumerations), plus the
// names of version states and of the item document's fields (used by the
// editor, the diff and the problem list).

export const ENUMS = {
  type: [
    ['01', '行政许可'],
    ['02', '行政处罚'],
    ['03', '行政强制'],
    ['04', '行政征收'],
    ['05', '行政给付'],
    ['06', '行政检查'],
    ['07', '行政确认'],
    ['08', '行政奖励'],
    ['09', '行政裁决'],
    ['10', '其他行政权力'],
    ['20', '公共服务'],
  ],
  case_kind: [
    ['instant', '即办件'],
    ['promise', '承诺件'],
  ],
  unit: [
    ['working_day', '个工作日'],
    ['natural_day', '个自然日'],
  ],
  kind: [
    ['original', '原件'],
    ['copy', '复印件'],
    ['e_certificate', '电子证照'],
  ],
  form: [
    ['paper', '纸质'],
    ['electronic', '电子'],
  ],
  requirement: [
    ['required', '必要'],
    ['optional', '非必要'],
    ['deferrable', '容缺'],
  ],
  source: [
    ['applicant', '申请人自备'],
    ['government', '政府部门核发（免提交）'],
  ],
  cross_region: [
    ['none', '否'],
    ['province', '全省通办'],
    ['national', '跨省通办'],
  ],
  special: [
    ['hearing', '听证'],
    ['testing', '检验检测'],
    ['appraisal', '鉴定'],
    ['expert_review', '专家评审'],
    ['inspection', '现场勘验'],
  ],
  result: [
    ['certificate', '证照'],
    ['approval', '批文'],
    ['record', '备案/登记'],
    ['payment', '给付'],
    ['other', '其他'],
  ],
  level: ['国家级', '省级', '市级', '县级', '乡级', '村级'].map((x) => [x, x]),
  object: ['自然人', '法人'].map((x) => [x, x]),
  handling: ['窗口', '网办', '邮寄', '自助'].map((x) => [x, x]),
  domain: ['社保医保', '企业开办', '建设项目', '公共服务', '不动产交易', '社会事务'].map((x) => [x, x]),
  role: [
    ['clerk', '综合窗口'],
    ['reviewer', '后台审批'],
    ['chief_rep', '首席代表'],
  ],
};

/** Chinese name of a code of one group, or the code itself. */
export function label(group, code) {
  const hit = (ENUMS[group] || []).find(([c]) => c === code);
  return hit ? hit[1] : code;
}

export const STATUS_NAMES = {
  draft: '草稿',
  submitted: '已提交',
  reviewed: '已审核',
  published: '已发布',
  retired: '已停用',
};

export function statusName(status) {
  return STATUS_NAMES[status] || status || '—';
}

/** Open versions can still change (at most one per item). */
export const OPEN_STATES = ['draft', 'submitted', 'reviewed'];

export const ADJUST_KINDS = [
  ['add', '新增事项'],
  ['change', '变更事项'],
  ['remove', '取消事项'],
];

export const ADJUST_STATUS = { open: '待报送', reported: '已报送', done: '已发布' };

/** Field names of the item document (last path segment → Chinese). */
export const FIELD_NAMES = {
  basic_code: '基本编码',
  impl_code: '实施编码',
  handle_code: '业务办理项编码',
  name: '名称',
  aliases: '别名',
  keywords: '关键词',
  type_code: '事项类型',
  level: '行使层级',
  department: '实施部门',
  domain: '领域',
  service_object: '服务对象',
  handling_forms: '办理形式',
  case_kind: '办件类型',
  statutory_limit: '法定办结时限',
  promised_limit: '承诺办结时限',
  value: '时限',
  unit: '单位',
  conditions: '受理条件',
  legal_basis: '设定依据',
  steps: '办理环节',
  share: '环节时限',
  role: '岗位',
  special_procedures: '特别程序',
  kind: '类型',
  max_days: '时限（天）',
  visits: '到现场次数',
  cross_region: '通办范围',
  result: '办理结果',
  sample: '样本',
  fees: '收费',
  amount_fen: '金额（分）',
  basis: '收费依据',
  place: '办理地点',
  hours: '办理时间',
  consult_phone: '咨询电话',
  complaint_phone: '投诉电话',
  faq: '常见问题',
  q: '问题',
  a: '解答',
  materials: '申请材料',
  key: '编号',
  form: '形式',
  count: '份数',
  requirement: '必要性',
  source: '来源',
  standard: '受理标准',
  blank_form: '空白表格',
  mistakes: '常见错误',
  always: '始终需要',
  situations: '情形',
  start: '起始问题',
  questions: '问题',
  text: '内容',
  options: '选项',
  next: '下一问题',
};

const GROUP_NAMES = {
  steps: '环节',
  special_procedures: '特别程序',
  fees: '收费项目',
  faq: '常见问题',
  materials: '材料',
  questions: '问题',
  options: '选项',
  aliases: '别名',
  keywords: '关键词',
  conditions: '受理条件',
  legal_basis: '设定依据',
  service_object: '服务对象',
  handling_forms: '办理形式',
};

/**
 * A document path in Chinese: "steps[1].share" → "办理环节 › 第2个环节 › 环节时限".
 */
export function describePath(path) {
  const parts = String(path || '').split('.').filter(Boolean);
  const out = [];
  for (const part of parts) {
    const m = /^([a-z_]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    const name = FIELD_NAMES[m[1]] || m[1];
    const idx = [...m[2].matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]) + 1);
    if (!idx.length) out.push(name);
    else if (parts.length === 1 || out.length) out.push(`第${idx.join('、')}个${GROUP_NAMES[m[1]] || '项'}`);
    else out.push(name, `第${idx.join('、')}个${GROUP_NAMES[m[1]] || '项'}`);
  }
  return out.join(' › ') || '事项';
}
