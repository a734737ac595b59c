// 待审核: the open versions waiting for the caller: for the center the
// submitted (→ 审核) and reviewed (→ 发布) ones, for department staff their
// department's open versions. Each row leads to the item page, which
// compares the waiting version with the published one.

import { registerScreen } from '../shell.js';
import * as api from '../api.js';
import { h, messageBox, table, formatTime } from '../dom.js';
import { CATALOG_ROLES, statusBadge, rowsOf } from '../catalog/common.js';

registerScreen({
  id: 'catalog-review',
  title: '待审核',
  roles: CATALOG_ROLES,
  order: 41,
  async render(container) {
    const msg = messageBox();
    const res = await api.get('/catalog/review');
    const rows = rowsOf(res, 'versions', 'review');
    const next = (status) => ({ draft: '待提交', submitted: '待审核', reviewed: '待发布' })[status] || '—';
    container.append(
      h('p', { class: 'muted' }, '部门提交的事项变更在此审核：点击“查看并审核”比较新旧版本，再审核通过、退回或发布。'),
      msg.el,
      h('p', { class: 'count-line muted' }, `共 ${rows.length} 项`),
      table(
        ['基本编码', { text: '事项名称', wrap: true }, '实施部门', '版本', '状态', '下一步', '提交时间', { text: '说明', wrap: true }, '操作'],
        rows.map((r) => {
          const code = r.basic_code || r.code;
          return [
            h('span', { class: 'mono' }, code),
            r.name || '—',
            r.department || '—',
            `第 ${r.version} 版`,
            statusBadge(r.status),
            next(r.status),
            formatTime(r.submitted_at || r.created_at) || '—',
            r.note || '—',
            h('a', { class: 'btn btn-small btn-primary', href: `#/catalog-item/${encodeURIComponent(code)}/${encodeURIComponent(r.version)}` }, '查看并审核'),
          ];
        }),
        '暂无待审核的事项变更',
      ),
    );
  },
});
