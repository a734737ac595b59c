// 事项编辑: the item editor (form and raw JSON tabs) for
//   #/catalog-edit/new              a new item (POST /catalog/items)
//   #/catalog-edit/new/{code}       the first version of an item known only
//                                   by its code (from the county's set-up)
//   #/catalog-edit/{code}/{n}       draft version n (PUT …/versions/{n})
//   #/catalog-edit/{code}/from/{n}  a new version based on version n
//                                   (POST …/versions)
// The server checks the document; its CATALOG_INVALID problems are shown
// next to the fields they name and in a list above the form.

import { registerScreen } from '../shell.js';
import * as api from '../api.js';
import { h, messageBox, busy, replaceChildren } from '../dom.js';
import { buildEditor, blankItem } from '../catalog/editor.js';
import { statusName } from '../catalog/labels.js';
import { CATALOG_ROLES, itemPath, versionPath, loadDepartments, setFlash, takeFlash } from '../catalog/common.js';

registerScreen({
  id: 'catalog-edit',
  title: '事项编辑',
  roles: CATALOG_ROLES,
  menu: false,
  async render(container, { params, navigate }) {
    const [code, second, third] = params;
    const msg = messageBox();
    let doc;
    let mode; // 'new' | 'put' | 'next'
    let heading;
    if (!code || code === 'new') {
      mode = 'new';
      doc = blankItem();
      heading = '新建事项';
      if (second) {
        const item = await api.get(itemPath(second));
        Object.assign(doc, { basic_code: item.basic_code || second, name: item.name || '', department: item.department || '' });
        heading = `${item.name || second}：编写第 1 版`;
      }
    } else {
      const n = second === 'from' ? third : second;
      const v = await api.get(versionPath(code, n));
      doc = structuredClone(v.document || {});
      if (second === 'from') {
        mode = 'next';
        heading = `${doc.name || code}：以第 ${n} 版为基础新建版本`;
      } else if (v.status === 'draft') {
        mode = 'put';
        heading = `${doc.name || code}：编辑第 ${n} 版（草稿）`;
      } else {
        container.append(
          h('p', { class: 'msg', role: 'status' }, `第 ${n} 版的状态为“${statusName(v.status)}”，不能再修改。修改请新建版本。`),
          h(
            'div',
            { class: 'form-actions' },
            h('a', { class: 'btn btn-primary', href: `#/catalog-edit/${encodeURIComponent(code)}/from/${encodeURIComponent(n)}` }, '以此版本为基础新建版本'),
            h('a', { class: 'btn', href: `#/catalog-item/${encodeURIComponent(code)}` }, '返回事项'),
          ),
        );
        return;
      }
    }

    const departments = await loadDepartments();
    const problemsBox = h('div', { class: 'problems', hidden: true, role: 'alert' });
    const formPanel = h('div', { class: 'tab-panel', id: 'editor-form-panel', role: 'tabpanel', 'aria-labelledby': 'tab-form' });
    const jsonText = h('textarea', { class: 'json-text', id: 'editor-json', spellcheck: 'false', 'aria-label': '事项 JSON' });
    const jsonPanel = h(
      'div',
      { class: 'tab-panel', id: 'editor-json-panel', role: 'tabpanel', 'aria-labelledby': 'tab-json', hidden: true },
      h('p', { class: 'field-hint' }, '直接编辑事项的 JSON 文档（供熟悉数据格式的管理员使用）。切换回表单时会读取这里的内容。'),
      jsonText,
    );
    let editor = null;
    let tab = 'form';

    function drawForm() {
      editor = buildEditor(doc, { lockCode: mode !== 'new' || Boolean(second) });
      replaceChildren(formPanel, editor.el);
      const dept = formPanel.querySelector('[data-path="department"]');
      if (dept && departments.length) {
        const list = h('datalist', { id: 'dept-names' }, departments.flatMap((d) => [d.short_name, d.name].filter(Boolean).map((n) => h('option', { value: n }))));
        dept.setAttribute('list', 'dept-names');
        dept.after(list);
      }
    }

    const tabForm = h('button', { type: 'button', role: 'tab', id: 'tab-form', 'aria-controls': 'editor-form-panel', 'aria-selected': 'true', class: 'tab', onclick: () => switchTab('form') }, '表单');
    const tabJson = h('button', { type: 'button', role: 'tab', id: 'tab-json', 'aria-controls': 'editor-json-panel', 'aria-selected': 'false', class: 'tab', onclick: () => switchTab('json') }, 'JSON');

    /** Read the JSON tab into doc; false (and a message) when it is no JSON object. */
    function readJson() {
      try {
        const parsed = JSON.parse(jsonText.value);
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
        doc = parsed;
        return true;
      } catch {
        msg.show('JSON 格式有误，请检查括号、引号和逗号（应为一个 JSON 对象）', 'error');
        jsonText.focus();
        return false;
      }
    }

    function switchTab(next) {
      if (next === tab) return;
      msg.clear();
      if (next === 'json') {
        jsonText.value = JSON.stringify(doc, null, 2);
      } else {
        if (!readJson()) return;
        drawForm();
      }
      tab = next;
      formPanel.hidden = tab !== 'form';
      jsonPanel.hidden = tab !== 'json';
      tabForm.setAttribute('aria-selected', String(tab === 'form'));
      tabJson.setAttribute('aria-selected', String(tab === 'json'));
    }

    function showProblems(problems) {
      const rows = editor.showProblems(problems);
      problemsBox.replaceChildren(
        h('p', { class: 'problems-title' }, `保存失败：有 ${rows.length} 处需要修改`),
        h(
          'ul',
          { class: 'problems-list' },
          rows.map((r) =>
            h(
              'li',
              null,
              r.control
                ? h('button', { type: 'button', class: 'link-button', onclick: () => focusControl(r.control) }, `${r.where}：${r.message}`)
                : `${r.where}：${r.message}`,
            ),
          ),
        ),
      );
      problemsBox.hidden = false;
    }

    function focusControl(control) {
      if (tab !== 'form') switchTab('form');
      control.scrollIntoView({ block: 'center' });
      (control.matches('input, select, textarea') ? control : control.querySelector('input, select, textarea') || control).focus();
    }

    function clearProblems() {
      problemsBox.hidden = true;
      problemsBox.replaceChildren();
      editor?.clearProblems();
    }

    async function save() {
      msg.clear();
      clearProblems();
      if (tab === 'json' && !readJson()) return;
      try {
        if (mode === 'new') {
          const res = await api.post('/catalog/items', doc);
          setFlash(`已创建事项并保存为第 ${res.version || 1} 版草稿`);
          navigate('catalog-edit', res.basic_code || doc.basic_code, res.version || 1);
        } else if (mode === 'next') {
          const res = await api.post(`${itemPath(code)}/versions`, doc);
          setFlash(`已保存为第 ${res.version} 版草稿`);
          navigate('catalog-edit', code, res.version);
        } else {
          await api.put(versionPath(code, second), doc);
          msg.show(`已保存第 ${second} 版草稿`, 'success');
        }
      } catch (err) {
        if (tab === 'json') drawForm();
        if (err.code === 'CATALOG_INVALID' && Array.isArray(err.details?.problems)) {
          showProblems(err.details.problems);
        } else if (err.field) {
          showProblems([{ where: '', field: err.field, message: err.message }]);
        } else {
          msg.show(err.message, 'error');
        }
        if (tab === 'form') problemsBox.scrollIntoView({ block: 'start' });
      }
    }

    const saveBtn = h('button', { type: 'button', class: 'btn btn-primary', id: 'save-draft', onclick: (e) => busy(e.currentTarget, save) }, '保存草稿');
    const itemCode = code === 'new' ? second : code;
    const back = itemCode ? h('a', { class: 'btn', href: `#/catalog-item/${encodeURIComponent(itemCode)}` }, '返回事项') : h('a', { class: 'btn', href: '#/catalog' }, '返回目录');
    drawForm();
    container.append(
      h('p', { class: 'editor-heading' }, heading),
      msg.el,
      problemsBox,
      h('div', { class: 'tabs', role: 'tablist', 'aria-label': '编辑方式' }, tabForm, tabJson),
      formPanel,
      jsonPanel,
      h('div', { class: 'form-actions editor-actions' }, saveBtn, back),
    );
    takeFlash(msg);
  },
});
