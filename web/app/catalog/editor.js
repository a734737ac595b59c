// The item editor's form: one section per part of the item document
// (src/core/catalog.c, catalog_check_item), repeated groups for steps,
// special procedures, fees, FAQ, materials and situation questions. The
// controls edit the document in place (fields.js); the steps section shows
// the live sum of the steps' shares against the promised limit.

import { h } from '../dom.js';
import { bindContext, textField, intField, enumField, linesField, listField, checksField, boolField, groupField, showProblems, clearProblems } from './fields.js';
import { label } from './labels.js';

/** A new item's document with every required field present. */
export function blankItem() {
  return {
    basic_code: '',
    impl_code: '',
    handle_code: '',
    name: '',
    aliases: [],
    keywords: [],
    type_code: '01',
    level: '县级',
    department: '',
    domain: '公共服务',
    service_object: ['自然人'],
    handling_forms: ['窗口'],
    case_kind: 'promise',
    statutory_limit: { value: 20, unit: 'working_day' },
    promised_limit: { value: 10, unit: 'working_day' },
    conditions: [],
    legal_basis: [],
    steps: [
      { name: '受理', share: 1, role: 'clerk' },
      { name: '审查', share: 7, role: 'reviewer' },
      { name: '决定', share: 2, role: 'chief_rep' },
    ],
    special_procedures: [],
    visits: 1,
    cross_region: 'none',
    result: { name: '', kind: 'certificate' },
    fees: [],
    place: '',
    hours: '周一至周五 上午9:00-12:00，下午13:30-17:00（法定节假日除外）',
    consult_phone: '',
    complaint_phone: '12345',
    faq: [],
    materials: [{ key: 'm1', name: '', kind: 'original', form: 'paper', count: 1, requirement: 'required', source: 'applicant' }],
    situations: null,
  };
}

function section(title, ...children) {
  return h('section', { class: 'card editor-section' }, h('h2', { class: 'form-title' }, title), h('div', { class: 'form-grid editor-grid' }, children));
}

function limitFields(ctx, doc, key, caption) {
  if (!doc[key] || typeof doc[key] !== 'object') doc[key] = { value: 0, unit: 'working_day' };
  return [intField(ctx, doc[key], 'value', `${key}.value`, `${caption}`, { min: 0, max: 365 }), enumField(ctx, doc[key], 'unit', `${key}.unit`, `${caption}单位`, 'unit')];
}

/**
 * Build the form for doc (edited in place). lockCode makes the basic code
 * read-only (an existing item keeps its code). Returns
 * {el, showProblems(problems) → summary rows, clearProblems()}.
 */
export function buildEditor(doc, { lockCode = false, onChange } = {}) {
  const sumLine = h('p', { class: 'share-sum', 'aria-live': 'polite' });
  const ctx = bindContext(() => {
    updateSum();
    if (onChange) onChange();
  });

  function updateSum() {
    const steps = Array.isArray(doc.steps) ? doc.steps : [];
    const sum = steps.reduce((acc, s) => acc + (Number.isInteger(s?.share) ? s.share : 0), 0);
    const limit = doc.promised_limit?.value;
    const unit = label('unit', doc.promised_limit?.unit) || '';
    const ok = Number.isInteger(limit) && sum === limit;
    sumLine.className = ok ? 'share-sum share-ok' : 'share-sum share-bad';
    sumLine.textContent = ok
      ? `各环节时限合计 ${sum}${unit}，与承诺时限一致`
      : `各环节时限合计 ${sum}${unit}，承诺时限为 ${Number.isInteger(limit) ? limit : '（未填写）'}${unit}：两者应相等`;
  }

  const basics = section(
    '基本信息',
    textField(ctx, doc, 'basic_code', 'basic_code', '基本编码', { max: 12, readonly: lockCode, hint: '1–12位数字或大写字母' }),
    textField(ctx, doc, 'impl_code', 'impl_code', '实施编码', { max: 36, hint: '1–36位数字或大写字母' }),
    textField(ctx, doc, 'handle_code', 'handle_code', '业务办理项编码', { max: 50, hint: '0–50位数字或大写字母' }),
    textField(ctx, doc, 'name', 'name', '事项名称', { max: 100 }),
    enumField(ctx, doc, 'type_code', 'type_code', '事项类型', 'type'),
    enumField(ctx, doc, 'level', 'level', '行使层级', 'level'),
    textField(ctx, doc, 'department', 'department', '实施部门', { max: 64, hint: '部门简称或全称，如“人社局”' }),
    enumField(ctx, doc, 'domain', 'domain', '领域', 'domain'),
    checksField(ctx, doc, 'service_object', 'service_object', '服务对象', 'object'),
    checksField(ctx, doc, 'handling_forms', 'handling_forms', '办理形式', 'handling'),
    listField(ctx, doc, 'aliases', 'aliases', '别名', { hint: '用逗号分隔，如“开饭店”' }),
    listField(ctx, doc, 'keywords', 'keywords', '关键词', { hint: '用逗号分隔' }),
    linesField(ctx, doc, 'conditions', 'conditions', '受理条件'),
    linesField(ctx, doc, 'legal_basis', 'legal_basis', '设定依据', { hint: '每行一条，至少一条' }),
  );

  const timing = section(
    '办理时限与环节',
    enumField(ctx, doc, 'case_kind', 'case_kind', '办件类型', 'case_kind', { hint: '即办件时限为0' }),
    ...limitFields(ctx, doc, 'statutory_limit', '法定办结时限'),
    ...limitFields(ctx, doc, 'promised_limit', '承诺办结时限'),
    intField(ctx, doc, 'visits', 'visits', '到现场次数', { min: 0, max: 5 }),
    enumField(ctx, doc, 'cross_region', 'cross_region', '通办范围', 'cross_region'),
    groupField(ctx, doc, 'steps', 'steps', {
      title: '办理环节',
      itemName: '环节',
      hint: '各环节时限之和应等于承诺办结时限',
      extra: sumLine,
      make: () => ({ name: '', share: 0 }),
      row: (s, p) => [
        textField(ctx, s, 'name', `${p}.name`, '环节名称', { max: 20 }),
        intField(ctx, s, 'share', `${p}.share`, '环节时限', { min: 0, max: 365 }),
        enumField(ctx, s, 'role', `${p}.role`, '岗位', 'role', { optional: true }),
      ],
    }),
    groupField(ctx, doc, 'special_procedures', 'special_procedures', {
      title: '特别程序',
      itemName: '特别程序',
      hint: '听证、检验检测、鉴定、专家评审、现场勘验等，不计入办结时限',
      make: () => ({ name: '', kind: 'hearing', max_days: 10 }),
      row: (s, p) => [
        textField(ctx, s, 'name', `${p}.name`, '名称', { max: 30 }),
        enumField(ctx, s, 'kind', `${p}.kind`, '类型', 'special'),
        intField(ctx, s, 'max_days', `${p}.max_days`, '时限（天）', { min: 1, max: 365 }),
      ],
    }),
  );

  if (!doc.result || typeof doc.result !== 'object') doc.result = { name: '', kind: 'certificate' };
  const result = section(
    '办理结果与收费',
    textField(ctx, doc.result, 'name', 'result.name', '办理结果名称', { max: 100 }),
    enumField(ctx, doc.result, 'kind', 'result.kind', '办理结果类型', 'result'),
    textField(ctx, doc.result, 'sample', 'result.sample', '结果样本', { max: 100, optional: true, hint: '样本文件名，可不填' }),
    groupField(ctx, doc, 'fees', 'fees', {
      title: '收费项目',
      itemName: '收费项目',
      hint: '不收费时不添加任何项目',
      make: () => ({ name: '', amount_fen: 0, basis: '' }),
      row: (f, p) => [
        textField(ctx, f, 'name', `${p}.name`, '收费项目', { max: 50 }),
        intField(ctx, f, 'amount_fen', `${p}.amount_fen`, '金额（分）', { min: 0, hint: '单位：分，如 1000 即 10 元' }),
        textField(ctx, f, 'basis', `${p}.basis`, '收费依据', { max: 300 }),
      ],
    }),
  );

  const place = section(
    '办理地点与咨询',
    textField(ctx, doc, 'place', 'place', '办理地点', { max: 200, wide: true }),
    textField(ctx, doc, 'hours', 'hours', '办理时间', { max: 100, wide: true }),
    textField(ctx, doc, 'consult_phone', 'consult_phone', '咨询电话', { max: 40 }),
    textField(ctx, doc, 'complaint_phone', 'complaint_phone', '投诉电话', { max: 40 }),
    groupField(ctx, doc, 'faq', 'faq', {
      title: '常见问题',
      itemName: '问题',
      make: () => ({ q: '', a: '' }),
      row: (f, p) => [textField(ctx, f, 'q', `${p}.q`, '问题', { max: 200, wide: true }), textField(ctx, f, 'a', `${p}.a`, '解答', { max: 2000, multiline: true, wide: true })],
    }),
  );

  const materials = section(
    '申请材料',
    groupField(ctx, doc, 'materials', 'materials', {
      title: '材料清单',
      itemName: '材料',
      make: () => ({ key: `m${(doc.materials?.length || 0) + 1}`, name: '', kind: 'original', form: 'paper', count: 1, requirement: 'required', source: 'applicant' }),
      row: (m, p) => [
        textField(ctx, m, 'key', `${p}.key`, '材料编号', { max: 20, hint: '小写字母、数字、下划线' }),
        textField(ctx, m, 'name', `${p}.name`, '材料名称', { max: 100 }),
        enumField(ctx, m, 'kind', `${p}.kind`, '材料类型', 'kind'),
        enumField(ctx, m, 'form', `${p}.form`, '材料形式', 'form'),
        intField(ctx, m, 'count', `${p}.count`, '份数', { min: 1, max: 20 }),
        enumField(ctx, m, 'requirement', `${p}.requirement`, '必要性', 'requirement'),
        enumField(ctx, m, 'source', `${p}.source`, '来源', 'source'),
        textField(ctx, m, 'blank_form', `${p}.blank_form`, '空白表格', { max: 100, optional: true }),
        textField(ctx, m, 'sample', `${p}.sample`, '示例样表', { max: 100, optional: true }),
        textField(ctx, m, 'standard', `${p}.standard`, '受理标准', { max: 500, optional: true, multiline: true, wide: true }),
        linesField(ctx, m, 'mistakes', `${p}.mistakes`, '常见错误', { optional: true, rows: 2 }),
        boolField(ctx, m, 'always', `${p}.always`, '始终需要（不随情形变化）', true),
      ],
    }),
  );

  const situations = situationSection(ctx, doc);

  const el = h('div', { class: 'editor' }, basics, timing, materials, situations, result, place);
  updateSum();
  return {
    el,
    showProblems: (problems) => showProblems(ctx, el, problems),
    clearProblems: () => clearProblems(el),
  };
}

function situationSection(ctx, doc) {
  const body = h('div', { class: 'situation-body' });
  const toggle = h('input', { type: 'checkbox', checked: Boolean(doc.situations && typeof doc.situations === 'object') });

  function draw() {
    body.replaceChildren();
    if (!toggle.checked) return;
    const s = doc.situations;
    if (!Array.isArray(s.questions)) s.questions = [];
    body.append(
      h(
        'div',
        { class: 'form-grid editor-grid' },
        textField(ctx, s, 'start', 'situations.start', '起始问题编号', { max: 20 }),
        groupField(ctx, s, 'questions', 'situations.questions', {
          title: '问题',
          itemName: '问题',
          hint: '每个问题2至6个选项；选项的“下一问题”留空表示结束；选项所需材料填写材料编号',
          make: () => ({ key: `q${s.questions.length + 1}`, text: '', options: [{ key: 'a', text: '' }, { key: 'b', text: '' }] }),
          row: (q, p) => [
            textField(ctx, q, 'key', `${p}.key`, '问题编号', { max: 20 }),
            textField(ctx, q, 'text', `${p}.text`, '问题', { max: 100, wide: true }),
            groupField(ctx, q, 'options', `${p}.options`, {
              title: '选项',
              itemName: '选项',
              make: () => ({ key: '', text: '' }),
              row: (o, op) => [
                textField(ctx, o, 'key', `${op}.key`, '选项编号', { max: 20 }),
                textField(ctx, o, 'text', `${op}.text`, '选项内容', { max: 100 }),
                textField(ctx, o, 'next', `${op}.next`, '下一问题编号', { max: 20, optional: true, placeholder: '（结束）' }),
                listField(ctx, o, 'materials', `${op}.materials`, '所需材料编号', { optional: true, placeholder: '如 m1, m2' }),
              ],
            }),
          ],
        }),
      ),
    );
  }

  toggle.addEventListener('change', () => {
    if (toggle.checked) {
      if (!doc.situations || typeof doc.situations !== 'object') {
        doc.situations = { start: 'q1', questions: [{ key: 'q1', text: '', options: [{ key: 'a', text: '' }, { key: 'b', text: '' }] }] };
      }
    } else {
      doc.situations = null;
    }
    draw();
    ctx.onChange();
  });
  const sec = h(
    'section',
    { class: 'card editor-section' },
    h('h2', { class: 'form-title' }, '情形'),
    h('p', { class: 'field-hint' }, '办事人回答问题后，只列出适用的材料。没有情形时，所有材料都适用。'),
    h('label', { class: 'check' }, toggle, '本事项按情形区分材料'),
    body,
  );
  ctx.reg.set('situations', sec);
  draw();
  return sec;
}
