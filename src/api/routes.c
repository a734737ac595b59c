/*
 * routes.c - every route, with the rule for who may call it. The RBAC test
 * (tests/integration/rbac.test.mjs) holds its own copy of these rules and fails when a
 * route here has none there, so a new route cannot ship without a written rule.
 */
#include "api/handlers.h"

#define MANAGERS (ROLE_ADMIN | ROLE_MANAGER)
/* Who works with applicants' records; supervisors read for case-file review. */
#define PEOPLE_READERS                                                                             \
    (ROLE_ADMIN | ROLE_MANAGER | ROLE_SUPERVISOR | ROLE_CHIEF_REP | ROLE_REVIEWER | ROLE_CLERK |   \
     ROLE_GUIDE)
#define TICKET_TAKERS  (ROLE_KIOSK | ROLE_GUIDE | ROLE_CLERK | MANAGERS)
#define PEOPLE_WRITERS (ROLE_ADMIN | ROLE_MANAGER | ROLE_CLERK | ROLE_GUIDE)
/* Who writes the catalog: the center's managers, and a department's chief
 * representative and reviewers for that department's items (checked by the handler). */
#define CATALOG_EDITORS (ROLE_ADMIN | ROLE_MANAGER | ROLE_CHIEF_REP | ROLE_REVIEWER)
#define CAT             "/api/v1/catalog"

const api_route api_routes[] = {
    {"GET", "/healthz", h_healthz, 0, ROUTE_PUBLIC, "健康检查"},
    {"GET", "/metrics", h_metrics, ROLE_ADMIN, ROUTE_LOOPBACK, "Prometheus指标"},

    {"POST", "/api/v1/session", h_session_create, 0, ROUTE_PUBLIC, "登录"},
    {"GET", "/api/v1/session", h_session_get, ROLE_ANY_USER, ROUTE_ANY_SESSION, "当前会话"},
    {"DELETE", "/api/v1/session", h_session_delete, ROLE_ANY_USER, ROUTE_ANY_SESSION, "退出登录"},
    {"POST", "/api/v1/session/password", h_session_password, ROLE_ANY_USER, ROUTE_ANY_SESSION,
     "修改本人密码"},

    {"GET", "/api/v1/users", h_users_list, MANAGERS, 0, "用户列表"},
    {"POST", "/api/v1/users", h_users_create, MANAGERS, 0, "新建用户"},
    {"GET", "/api/v1/users/{id}", h_users_get, MANAGERS, 0, "查看用户"},
    {"PATCH", "/api/v1/users/{id}", h_users_patch, MANAGERS, 0, "修改或停用用户"},
    {"PUT", "/api/v1/users/{id}/roles", h_users_roles, MANAGERS, 0, "设置用户角色"},
    {"POST", "/api/v1/users/{id}/password-reset", h_users_password_reset, MANAGERS, 0,
     "重置用户密码"},

    {"GET", "/api/v1/centers", h_centers_list, ROLE_STAFF, 0, "中心列表"},
    {"POST", "/api/v1/centers", h_centers_create, MANAGERS, 0, "新建下级中心"},
    {"GET", "/api/v1/centers/{id}", h_center_get, ROLE_STAFF, 0, "中心详情（含窗口配置是否达标）"},
    {"PATCH", "/api/v1/centers/{id}", h_center_patch, MANAGERS, 0, "修改中心信息"},
    {"GET", "/api/v1/centers/{id}/zones", h_zones_list, ROLE_STAFF, 0, "功能区列表"},
    {"POST", "/api/v1/centers/{id}/zones", h_zones_create, MANAGERS, 0, "新建功能区"},
    {"GET", "/api/v1/centers/{id}/hours", h_hours_get, ROLE_STAFF, 0, "开放时间"},
    {"PUT", "/api/v1/centers/{id}/hours", h_hours_put, MANAGERS, 0, "设置开放时间"},

    {"GET", "/api/v1/departments", h_departments_list, ROLE_STAFF, 0, "部门列表"},
    {"POST", "/api/v1/departments", h_departments_create, ROLE_ADMIN, 0, "新建部门"},

    {"GET", "/api/v1/windows", h_windows_list, ROLE_STAFF, 0, "窗口列表"},
    {"POST", "/api/v1/windows", h_windows_create, MANAGERS, 0, "新建窗口"},
    {"PATCH", "/api/v1/windows/{id}", h_windows_patch, MANAGERS, 0, "修改窗口"},

    {"GET", "/api/v1/staff", h_staff_list, ROLE_STAFF, 0, "工作人员列表"},
    {"POST", "/api/v1/staff", h_staff_create, MANAGERS, 0, "登记工作人员"},
    {"GET", "/api/v1/staff/{id}", h_staff_get, ROLE_STAFF, 0, "工作人员详情（含授权）"},
    {"PATCH", "/api/v1/staff/{id}", h_staff_patch, MANAGERS, 0, "修改工作人员"},
    {"GET", "/api/v1/staff/{id}/authorizations", h_authorizations_list, ROLE_STAFF, 0,
     "工作人员的授权"},
    {"POST", "/api/v1/staff/{id}/authorizations", h_authorizations_create, ROLE_CHIEF_REP, 0,
     "授予事项权限（首席代表）"},
    {"DELETE", "/api/v1/authorizations/{id}", h_authorizations_delete, ROLE_CHIEF_REP, 0,
     "撤销授权（首席代表）"},

    {"GET", "/api/v1/items", h_items_list, ROLE_STAFF, 0, "事项列表"},
    {"POST", "/api/v1/items", h_items_create, MANAGERS, 0, "新建事项"},

    {"GET", CAT "/items", h_catalog_items_list, ROLE_STAFF, 0, "事项目录列表"},
    {"POST", CAT "/items", h_catalog_items_create, CATALOG_EDITORS, 0, "新建事项（第1版草稿）"},
    {"GET", CAT "/items/{code}", h_catalog_item_get, ROLE_STAFF, 0, "事项及其版本"},
    {"POST", CAT "/items/{code}/retire", h_catalog_item_retire, MANAGERS, 0, "停用事项"},
    {"POST", CAT "/items/{code}/versions", h_catalog_version_create, CATALOG_EDITORS, 0,
     "新建事项版本（草稿）"},
    {"GET", CAT "/items/{code}/versions/{n}", h_catalog_version_get, ROLE_STAFF, 0,
     "查看事项某一版本"},
    {"PUT", CAT "/items/{code}/versions/{n}", h_catalog_version_put, CATALOG_EDITORS, 0,
     "修改草稿"},
    {"POST", CAT "/items/{code}/versions/{n}/submit", h_catalog_version_submit, CATALOG_EDITORS, 0,
     "提交审核"},
    {"POST", CAT "/items/{code}/versions/{n}/approve", h_catalog_version_approve, MANAGERS, 0,
     "审核通过"},
    {"POST", CAT "/items/{code}/versions/{n}/publish", h_catalog_version_publish, MANAGERS, 0,
     "发布版本"},
    {"POST", CAT "/items/{code}/versions/{n}/reject", h_catalog_version_reject, MANAGERS, 0,
     "退回修改"},
    {"GET", CAT "/review", h_catalog_review, CATALOG_EDITORS, 0, "待我处理的版本"},
    {"GET", CAT "/bundles", h_catalog_bundles_list, ROLE_STAFF, 0, "一件事列表"},
    {"GET", CAT "/bundles/{code}", h_catalog_bundle_get, ROLE_STAFF, 0, "查看一件事"},
    {"PUT", CAT "/bundles/{code}", h_catalog_bundle_put, MANAGERS, 0, "发布一件事新版本"},
    {"POST", CAT "/import", h_catalog_import, ROLE_ADMIN, 0, "导入事项目录（JSON）"},
    {"GET", CAT "/export", h_catalog_export, MANAGERS, 0, "导出事项目录（JSON）"},
    {"POST", CAT "/import/csv", h_catalog_import_csv, ROLE_ADMIN, 0, "导入事项目录（CSV）"},
    {"GET", CAT "/export/csv", h_catalog_export_csv, MANAGERS, 0, "导出事项目录（CSV）"},
    {"GET", CAT "/adjustments", h_catalog_adjustments_list, CATALOG_EDITORS, 0, "动态调整列表"},
    {"POST", CAT "/adjustments", h_catalog_adjustments_create, CATALOG_EDITORS, 0, "登记动态调整"},
    {"POST", CAT "/adjustments/{id}/report", h_catalog_adjustment_report, CATALOG_EDITORS, 0,
     "部门上报调整"},
    {"POST", CAT "/adjustments/{id}/done", h_catalog_adjustment_done, MANAGERS, 0,
     "调整已发布办结"},
    {"GET", CAT "/stats", h_catalog_stats, MANAGERS | ROLE_SUPERVISOR, 0,
     "目录统计（综合窗口可办率、免提交率）"},

    {"GET", "/api/v1/public/search", h_public_search, 0, ROUTE_PUBLIC, "办事指南搜索"},
    {"GET", "/api/v1/public/facets", h_public_facets, 0, ROUTE_PUBLIC, "搜索筛选项"},
    {"GET", "/api/v1/public/items/{code}", h_public_item, 0, ROUTE_PUBLIC, "事项办事指南数据"},
    {"POST", "/api/v1/public/items/{code}/checklist", h_public_checklist, 0, ROUTE_PUBLIC,
     "按情形生成材料清单"},
    {"GET", "/api/v1/public/bundles/{code}", h_public_bundle, 0, ROUTE_PUBLIC,
     "一件事办事指南数据"},

    {"GET", "/guide/items/{code}", h_guide_item, 0, ROUTE_PUBLIC, "事项办事指南（网页）"},
    {"GET", "/guide/items/{code}/print", h_guide_item_print, 0, ROUTE_PUBLIC,
     "事项办事指南（A4打印版）"},
    {"GET", "/guide/items/{code}/forms/{material}", h_guide_form, 0, ROUTE_PUBLIC, "空白表格"},
    {"GET", "/guide/items/{code}/samples/{material}", h_guide_sample, 0, ROUTE_PUBLIC, "示例样表"},
    {"GET", "/guide/bundles/{code}", h_guide_bundle, 0, ROUTE_PUBLIC, "一件事办事指南（网页）"},
    {"GET", "/guide/bundles/{code}/print", h_guide_bundle_print, 0, ROUTE_PUBLIC,
     "一件事办事指南（A4打印版）"},

    {"GET", "/api/v1/people", h_people_list, PEOPLE_READERS, 0, "群众与企业档案查询"},
    {"POST", "/api/v1/people", h_people_create, PEOPLE_WRITERS, 0, "新建群众或企业档案"},
    {"GET", "/api/v1/people/{id}", h_people_get, PEOPLE_READERS, 0, "查看档案"},
    {"PATCH", "/api/v1/people/{id}", h_people_patch, PEOPLE_WRITERS, 0, "修改档案"},

    {"GET", "/api/v1/calendar/{year}", h_calendar_year, ROLE_STAFF, 0, "工作日历（某年）"},
    {"POST", "/api/v1/calendar/import", h_calendar_import, ROLE_ADMIN, 0, "导入节假日数据"},
    {"GET", "/api/v1/calendar-overrides", h_calendar_overrides_list, ROLE_STAFF, 0,
     "本中心日历调整"},
    {"POST", "/api/v1/calendar-overrides", h_calendar_overrides_create, MANAGERS, 0,
     "新增日历调整（闭厅/值守）"},
    {"DELETE", "/api/v1/calendar-overrides/{id}", h_calendar_overrides_delete, MANAGERS, 0,
     "删除日历调整"},

    {"GET", "/api/v1/devices", h_devices_list, MANAGERS, 0, "设备列表"},
    {"POST", "/api/v1/devices", h_devices_create, MANAGERS, 0, "登记设备"},
    {"DELETE", "/api/v1/devices/{id}", h_devices_delete, MANAGERS, 0, "吊销设备"},
    {"GET", "/api/v1/device", h_device_self, ROLE_DEVICES, 0, "设备本机信息"},

    {"GET", "/api/v1/announcements", h_notices_list, ROLE_STAFF | ROLE_DISPLAY, 0, "公告列表"},
    {"POST", "/api/v1/announcements", h_notices_create, MANAGERS, 0, "发布公告"},
    {"GET", "/api/v1/announcements/{id}", h_notices_get, ROLE_STAFF | ROLE_DISPLAY, 0, "查看公告"},
    {"DELETE", "/api/v1/announcements/{id}", h_notices_delete, MANAGERS, 0, "撤下公告"},

    {"GET", "/api/v1/hall/{id}/lines", h_hall_lines_list, ROLE_STAFF | ROLE_KIOSK | ROLE_DISPLAY, 0,
     "业务队列列表"},
    {"POST", "/api/v1/hall/{id}/lines", h_hall_lines_create, MANAGERS, 0, "新建业务队列"},
    {"PATCH", "/api/v1/hall/lines/{id}", h_hall_lines_patch, MANAGERS, 0,
     "修改业务队列（名称、前缀、事项、窗口、启停）"},
    {"GET", "/api/v1/hall/{id}/settings", h_hall_settings_get, ROLE_STAFF, 0, "叫号规则"},
    {"PUT", "/api/v1/hall/{id}/settings", h_hall_settings_put, MANAGERS, 0, "修改叫号规则"},
    {"POST", "/api/v1/hall/{id}/tickets", h_hall_tickets_create, TICKET_TAKERS, 0,
     "取号（取号机、导服、窗口）"},
    {"GET", "/api/v1/hall/{id}/queue", h_hall_queue, ROLE_STAFF | ROLE_DISPLAY | ROLE_KIOSK, 0,
     "大厅排队概况（叫号屏）"},
    {"GET", "/api/v1/hall/{id}/stats", h_hall_stats, ROLE_STAFF, 0, "今日各窗口、各队列统计"},
    {"GET", "/api/v1/hall/{id}/events", h_hall_events, ROLE_STAFF | ROLE_DISPLAY | ROLE_RATING_PAD,
     0, "大厅实时事件（SSE）"},
    {"GET", "/api/v1/hall/{id}/staffing", h_hall_staffing, MANAGERS, 0,
     "窗口调度：各队列每小时所需与实开窗口、窗口负荷均衡"},
    {"POST", "/api/v1/hall/{id}/tidal", h_hall_tidal_open, MANAGERS, 0, "开潮汐窗口"},
    {"POST", "/api/v1/hall/{id}/tidal/{id}/close", h_hall_tidal_close, MANAGERS, 0,
     "关潮汐窗口（撤出业务队列）"},
    {"GET", "/api/v1/hall/tickets/{id}", h_hall_ticket_get, ROLE_STAFF, 0, "查看号票"},
    {"POST", "/api/v1/hall/tickets/{id}/rejoin", h_hall_ticket_rejoin, TICKET_TAKERS, 0,
     "过号后重新排队"},
    {"GET", "/api/v1/hall/t/{token}", h_hall_ticket_public, 0, ROUTE_PUBLIC,
     "手机查看排队进度（凭号票二维码）"},
    {"GET", "/api/v1/hall/windows/{id}", h_hall_window_get, ROLE_STAFF, 0, "窗口工作台状态"},
    {"POST", "/api/v1/hall/windows/{id}/{action}", h_hall_window_act, ROLE_CLERK | MANAGERS, 0,
     "窗口操作（叫号、重呼、过号、转移、暂停、暂存、呼叫后台、办结等）"},

    {"GET", "/api/v1/audit", h_audit_list, ROLE_ADMIN | ROLE_SUPERVISOR, 0, "操作日志"},
    {"GET", "/api/v1/audit/verify", h_audit_verify, ROLE_ADMIN | ROLE_SUPERVISOR, 0,
     "校验操作日志链"},
};

const int api_route_count = (int)(sizeof(api_routes) / sizeof(api_routes[0]));
