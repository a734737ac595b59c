/*
 * routes.c - every route, with the rule for who may call it. The RBAC test
 * (tests/integration/rbac.test.mjs) holds its own copy of these rules and fails when a
 * route here has none there, so a new route cannot ship without a written rule.
 */
#include "api/handlers.h"

#define MANAGERS (ROLE_ADMIN | ROLE_MANAGER)

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

    {"GET", "/api/v1/devices", h_devices_list, MANAGERS, 0, "设备列表"},
    {"POST", "/api/v1/devices", h_devices_create, MANAGERS, 0, "登记设备"},
    {"DELETE", "/api/v1/devices/{id}", h_devices_delete, MANAGERS, 0, "吊销设备"},
    {"GET", "/api/v1/device", h_device_self, ROLE_DEVICES, 0, "设备本机信息"},

    {"GET", "/api/v1/announcements", h_notices_list, ROLE_STAFF | ROLE_DISPLAY, 0, "公告列表"},
    {"POST", "/api/v1/announcements", h_notices_create, MANAGERS, 0, "发布公告"},
    {"GET", "/api/v1/announcements/{id}", h_notices_get, ROLE_STAFF | ROLE_DISPLAY, 0,
     "查看公告"},
    {"DELETE", "/api/v1/announcements/{id}", h_notices_delete, MANAGERS, 0, "撤下公告"},

    {"GET", "/api/v1/audit", h_audit_list, ROLE_ADMIN | ROLE_SUPERVISOR, 0, "操作日志"},
    {"GET", "/api/v1/audit/verify", h_audit_verify, ROLE_ADMIN | ROLE_SUPERVISOR, 0,
     "校验操作日志链"},
};

const int api_route_count = (int)(sizeof(api_routes) / sizeof(api_routes[0]));
