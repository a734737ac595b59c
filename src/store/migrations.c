/*
 * migrations.c - the schema, as numbered migrations compiled into the binary.
 *
 * Applied in order at start-up (store.c), each in its own transaction. Never edit a
 * migration that has shipped; add a new one. Instants are INTEGER milliseconds since
 * the epoch (UTC). The SQL is kept portable; SQLite-only parts (triggers) are marked.
 */
#include "store/store.h"

const store_migration store_migrations[] = {
    {1, "platform",
     "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"

     /* 中心: county -> town -> village. path is '/1/4/9/' so a subtree is a prefix. */
     "CREATE TABLE centers ("
     " id INTEGER PRIMARY KEY,"
     " parent_id INTEGER REFERENCES centers(id),"
     " level TEXT NOT NULL CHECK (level IN ('county','town','village')),"
     " name TEXT NOT NULL,"
     " path TEXT NOT NULL DEFAULT '',"
     " created_at INTEGER NOT NULL);"
     "CREATE UNIQUE INDEX centers_name ON centers(parent_id, name);"

     "CREATE TABLE users ("
     " id INTEGER PRIMARY KEY,"
     " username TEXT NOT NULL,"
     " display_name TEXT NOT NULL,"
     " password_hash TEXT NOT NULL,"
     " disabled INTEGER NOT NULL DEFAULT 0,"
     " must_change_password INTEGER NOT NULL DEFAULT 0,"
     " failed_logins INTEGER NOT NULL DEFAULT 0,"
     " locked_until INTEGER NOT NULL DEFAULT 0,"
     " created_at INTEGER NOT NULL,"
     " updated_at INTEGER NOT NULL);"

     /* Unique whatever the letter case: "Admin" and "admin" are one account name. */
     "CREATE UNIQUE INDEX users_username ON users(lower(username));"

     "CREATE TABLE user_roles ("
     " id INTEGER PRIMARY KEY,"
     " user_id INTEGER NOT NULL REFERENCES users(id),"
     " role TEXT NOT NULL,"
     " center_id INTEGER REFERENCES centers(id),"
     " department_id INTEGER);"
     "CREATE INDEX user_roles_user ON user_roles(user_id);"
     "CREATE INDEX user_roles_center ON user_roles(center_id);"

     /* Only a hash of the session token is stored: a copy of the database does not
      * let anyone log in. */
     "CREATE TABLE sessions ("
     " id INTEGER PRIMARY KEY,"
     " token_hash TEXT NOT NULL UNIQUE,"
     " user_id INTEGER NOT NULL REFERENCES users(id),"
     " csrf_token TEXT NOT NULL,"
     " client_addr TEXT NOT NULL DEFAULT '',"
     " created_at INTEGER NOT NULL,"
     " expires_at INTEGER NOT NULL,"
     " revoked_at INTEGER);"
     "CREATE INDEX sessions_user ON sessions(user_id);"

     "CREATE TABLE devices ("
     " id INTEGER PRIMARY KEY,"
     " kind TEXT NOT NULL CHECK (kind IN ('kiosk','display','rating_pad')),"
     " name TEXT NOT NULL,"
     " center_id INTEGER NOT NULL REFERENCES centers(id),"
     " window_no INTEGER,"
     " token_hash TEXT NOT NULL UNIQUE,"
     " created_at INTEGER NOT NULL,"
     " revoked_at INTEGER);"

     "CREATE TABLE announcements ("
     " id INTEGER PRIMARY KEY,"
     " center_id INTEGER NOT NULL REFERENCES centers(id),"
     " title TEXT NOT NULL,"
     " body TEXT NOT NULL,"
     " created_by INTEGER REFERENCES users(id),"
     " created_at INTEGER NOT NULL,"
     " deleted_at INTEGER);"
     "CREATE INDEX announcements_center ON announcements(center_id, id);"

     /* 操作日志: append-only, hash-chained (service/audit.c). */
     "CREATE TABLE audit_log ("
     " seq INTEGER PRIMARY KEY,"
     " at INTEGER NOT NULL,"
     " actor_kind TEXT NOT NULL,"
     " actor_id INTEGER,"
     " actor_name TEXT NOT NULL DEFAULT '',"
     " role TEXT NOT NULL DEFAULT '',"
     " center_id INTEGER,"
     " window_no INTEGER,"
     " client_addr TEXT NOT NULL DEFAULT '',"
     " action TEXT NOT NULL,"
     " object_type TEXT NOT NULL DEFAULT '',"
     " object_id TEXT NOT NULL DEFAULT '',"
     " summary TEXT NOT NULL DEFAULT '',"
     " prev_hash TEXT NOT NULL,"
     " hash TEXT NOT NULL);"
     "CREATE INDEX audit_center ON audit_log(center_id, seq);"
     /* SQLite-only: refuse edits and deletes from inside the program. Someone with the
      * file can drop these; the hash chain is what catches that. */
     "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
     " BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"
     "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
     " BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"},
    {2, "organization",
     /* Centers gain what a person needs to find and reach them. */
     "ALTER TABLE centers ADD COLUMN address TEXT NOT NULL DEFAULT '';"
     "ALTER TABLE centers ADD COLUMN phone TEXT NOT NULL DEFAULT '';"
     "ALTER TABLE centers ADD COLUMN region_code TEXT NOT NULL DEFAULT '';"

     /* 功能区: consultation needs no ticket, the 24-hour self-service area never closes. */
     "CREATE TABLE zones ("
     " id INTEGER PRIMARY KEY,"
     " center_id INTEGER NOT NULL REFERENCES centers(id),"
     " kind TEXT NOT NULL CHECK (kind IN ('consult','window','approval','public',"
     "  'self_service','waiting','complaint')),"
     " name TEXT NOT NULL,"
     " always_open INTEGER NOT NULL DEFAULT 0,"
     " created_at INTEGER NOT NULL);"
     "CREATE UNIQUE INDEX zones_name ON zones(center_id, name);"

     /* 部门: the county's bureaus, identified by their 统一社会信用代码. */
     "CREATE TABLE departments ("
     " id INTEGER PRIMARY KEY,"
     " name TEXT NOT NULL UNIQUE,"
     " short_name TEXT NOT NULL DEFAULT '',"
     " credit_code TEXT NOT NULL UNIQUE,"
     " created_at INTEGER NOT NULL);"

     /* 窗口. number is the one on the sign above it; kind per DOMAIN.md §2. */
     "CREATE TABLE windows ("
     " id INTEGER PRIMARY KEY,"
     " center_id INTEGER NOT NULL REFERENCES centers(id),"
     " zone_id INTEGER REFERENCES zones(id),"
     " number INTEGER NOT NULL,"
     " name TEXT NOT NULL,"
     " kind TEXT NOT NULL CHECK (kind IN ('general','domain','dedicated','certificate',"
     "  'consult','complaint','cross_region','bundle','tidal','duty')),"
     " domain TEXT NOT NULL DEFAULT '',"
     " department_id INTEGER REFERENCES departments(id),"
     " duty_lunch INTEGER NOT NULL DEFAULT 0,"
     " duty_weekend INTEGER NOT NULL DEFAULT 0,"
     " duty_holiday INTEGER NOT NULL DEFAULT 0,"
     " active INTEGER NOT NULL DEFAULT 1,"
     " created_at INTEGER NOT NULL,"
     " updated_at INTEGER NOT NULL);"
     "CREATE UNIQUE INDEX windows_number ON windows(center_id, number);"

     /* 工作人员: a user posted to a center, with 工号, department, posts and an AB角. */
     "CREATE TABLE staff ("
     " id INTEGER PRIMARY KEY,"
     " user_id INTEGER NOT NULL UNIQUE REFERENCES users(id),"
     " staff_no TEXT NOT NULL UNIQUE,"
     " center_id INTEGER NOT NULL REFERENCES centers(id),"
     " department_id INTEGER REFERENCES departments(id),"
     " posts TEXT NOT NULL DEFAULT '',"
     " window_id INTEGER REFERENCES windows(id),"
     " backup_staff_id INTEGER REFERENCES staff(id),"
     " posted_since TEXT NOT NULL DEFAULT '',"
     " created_at INTEGER NOT NULL,"
     " updated_at INTEGER NOT NULL);"
     "CREATE INDEX staff_center ON staff(center_id);"

     /* 事项 (minimal): the catalog issue adds versions, situations and guides. */
     "CREATE TABLE items ("
     " id INTEGER PRIMARY KEY,"
     " basic_code TEXT NOT NULL UNIQUE,"
     " name TEXT NOT NULL,"
     " department_id INTEGER NOT NULL REFERENCES departments(id),"
     " created_at INTEGER NOT NULL);"

     /* 授权: staff x item x receive/accept/decide, granted by the department's 首席代表. */
     "CREATE TABLE authorizations ("
     " id INTEGER PRIMARY KEY,"
     " staff_id INTEGER NOT NULL REFERENCES staff(id),"
     " item_id INTEGER NOT NULL REFERENCES items(id),"
     " action TEXT NOT NULL CHECK (action IN ('receive','accept','decide')),"
     " granted_by INTEGER NOT NULL REFERENCES users(id),"
     " granted_at INTEGER NOT NULL,"
     " expires_on TEXT NOT NULL,"
     " revoked_at INTEGER);"
     "CREATE INDEX authorizations_staff ON authorizations(staff_id);"
     "CREATE UNIQUE INDEX authorizations_live ON authorizations(staff_id, item_id, action)"
     " WHERE revoked_at IS NULL;"

     /* 开放时间 per weekday (1 = Monday); times as 'HH:MM' in China Standard Time. */
     "CREATE TABLE center_hours ("
     " center_id INTEGER NOT NULL REFERENCES centers(id),"
     " weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),"
     " am_open TEXT NOT NULL, am_close TEXT NOT NULL,"
     " pm_open TEXT NOT NULL, pm_close TEXT NOT NULL,"
     " PRIMARY KEY (center_id, weekday));"

     /* 一人一档、一企一档 base. Identifiers and phones are stored encrypted (secretbox)
      * with a keyed blind index for exact lookup, and a masked copy for display. */
     "CREATE TABLE people ("
     " id INTEGER PRIMARY KEY,"
     " kind TEXT NOT NULL CHECK (kind IN ('citizen','enterprise')),"
     " name TEXT NOT NULL,"
     " ident_cipher TEXT NOT NULL,"
     " ident_index TEXT NOT NULL UNIQUE,"
     " ident_masked TEXT NOT NULL,"
     " mobile_cipher TEXT NOT NULL DEFAULT '',"
     " mobile_index TEXT NOT NULL DEFAULT '',"
     " mobile_masked TEXT NOT NULL DEFAULT '',"
     " created_at INTEGER NOT NULL,"
     " updated_at INTEGER NOT NULL);"
     "CREATE INDEX people_mobile ON people(mobile_index);"

     /* 节假日: national data per year (imported), plus local overrides per center. */
     "CREATE TABLE holiday_years ("
     " year INTEGER PRIMARY KEY,"
     " source TEXT NOT NULL,"
     " imported_at INTEGER NOT NULL);"
     "CREATE TABLE holiday_days ("
     " date TEXT PRIMARY KEY,"
     " year INTEGER NOT NULL REFERENCES holiday_years(year),"
     " is_off INTEGER NOT NULL,"
     " name TEXT NOT NULL DEFAULT '');"
     "CREATE TABLE calendar_overrides ("
     " id INTEGER PRIMARY KEY,"
     " center_id INTEGER NOT NULL REFERENCES centers(id),"
     " date TEXT NOT NULL,"
     " kind TEXT NOT NULL CHECK (kind IN ('closed','duty')),"
     " reason TEXT NOT NULL,"
     " created_by INTEGER REFERENCES users(id),"
     " created_at INTEGER NOT NULL);"
     "CREATE UNIQUE INDEX calendar_overrides_day ON calendar_overrides(center_id, date);"},
    {3, "catalog",
     /* 事项目录. items stays the identity (authorizations point at items.id); what an
      * item says lives in numbered versions. document is the item's JSON (core/catalog.h
      * checks it); the other columns copy what lists filter and sort by. At most one open
      * (draft/submitted/reviewed) and one published version per item. */
     "ALTER TABLE items ADD COLUMN retired_at INTEGER;"
     "CREATE TABLE item_versions ("
     " id INTEGER PRIMARY KEY,"
     " item_id INTEGER NOT NULL REFERENCES items(id),"
     " version INTEGER NOT NULL,"
     " status TEXT NOT NULL CHECK (status IN ('draft','submitted','reviewed','published',"
     "  'retired')),"
     " document TEXT NOT NULL,"
     " name TEXT NOT NULL,"
     " department_id INTEGER NOT NULL REFERENCES departments(id),"
     " domain TEXT NOT NULL DEFAULT '',"
     " type_code TEXT NOT NULL DEFAULT '',"
     " case_kind TEXT NOT NULL DEFAULT '',"
     " note TEXT NOT NULL DEFAULT '',"
     " created_by INTEGER REFERENCES users(id),"
     " created_at INTEGER NOT NULL,"
     " updated_at INTEGER NOT NULL,"
     " submitted_by INTEGER REFERENCES users(id),"
     " submitted_at INTEGER,"
     " reviewed_by INTEGER REFERENCES users(id),"
     " reviewed_at INTEGER,"
     " published_by INTEGER REFERENCES users(id),"
     " published_at INTEGER,"
     " retired_by INTEGER REFERENCES users(id),"
     " retired_at INTEGER);"
     "CREATE UNIQUE INDEX item_versions_no ON item_versions(item_id, version);"
     "CREATE UNIQUE INDEX item_versions_open ON item_versions(item_id)"
     " WHERE status IN ('draft','submitted','reviewed');"
     "CREATE UNIQUE INDEX item_versions_published ON item_versions(item_id)"
     " WHERE status = 'published';"
     "CREATE INDEX item_versions_status ON item_versions(status, department_id);"

     /* 一件事: each PUT publishes a new version; the previous one is retired. */
     "CREATE TABLE bundles ("
     " id INTEGER PRIMARY KEY,"
     " code TEXT NOT NULL UNIQUE,"
     " name TEXT NOT NULL,"
     " created_at INTEGER NOT NULL,"
     " retired_at INTEGER);"
     "CREATE TABLE bundle_versions ("
     " id INTEGER PRIMARY KEY,"
     " bundle_id INTEGER NOT NULL REFERENCES bundles(id),"
     " version INTEGER NOT NULL,"
     " status TEXT NOT NULL CHECK (status IN ('published','retired')),"
     " document TEXT NOT NULL,"
     " created_by INTEGER REFERENCES users(id),"
     " created_at INTEGER NOT NULL,"
     " published_at INTEGER NOT NULL,"
     " retired_at INTEGER);"
     "CREATE UNIQUE INDEX bundle_versions_no ON bundle_versions(bundle_id, version);"
     "CREATE UNIQUE INDEX bundle_versions_published ON bundle_versions(bundle_id)"
     " WHERE status = 'published';"

     /* 动态调整: a rule changed on rule_published_on; the department reports within 5
      * working days, the center publishes within 10 (dates fixed when registered). */
     "CREATE TABLE catalog_adjustments ("
     " id INTEGER PRIMARY KEY,"
     " basic_code TEXT NOT NULL,"
     " department_id INTEGER REFERENCES departments(id),"
     " kind TEXT NOT NULL CHECK (kind IN ('add','change','remove')),"
     " rule_title TEXT NOT NULL,"
     " rule_published_on TEXT NOT NULL,"
     " report_due TEXT NOT NULL,"
     " publish_due TEXT NOT NULL,"
     " note TEXT NOT NULL DEFAULT '',"
     " status TEXT NOT NULL CHECK (status IN ('open','reported','done')),"
     " created_by INTEGER REFERENCES users(id),"
     " created_at INTEGER NOT NULL,"
     " reported_by INTEGER REFERENCES users(id),"
     " reported_at INTEGER,"
     " done_by INTEGER REFERENCES users(id),"
     " done_at INTEGER);"
     "CREATE INDEX catalog_adjustments_status ON catalog_adjustments(status, publish_due);"

     /* The public search index, one entry per published item or bundle;
      * store/catalog_search.c is its only user. catalog_search is SQLite-only (FTS5
      * trigram: Chinese substrings of 3+ characters); a PostgreSQL engine would use
      * pg_trgm indexes instead. catalog_docs holds the filter columns of each entry
      * (rid = the FTS rowid); catalog_grams every 1- and 2-character gram of the name
      * (tier 0) and of aliases/keywords (tier 1), its key in rank order so short
      * queries read only the first rows they return. The filter columns are indexed in
      * catalog_search too, so a filtered word search narrows by them inside the MATCH
      * (words are always scoped to name, aliases and body). */
     "CREATE VIRTUAL TABLE catalog_search USING fts5("
     " kind UNINDEXED, code UNINDEXED, department, dept_short, domain, level, objects,"
     " summary UNINDEXED, name, aliases, body, tokenize = 'trigram');"
     "CREATE TABLE catalog_docs ("
     " rid INTEGER PRIMARY KEY,"
     " kind TEXT NOT NULL,"
     " code TEXT NOT NULL,"
     " nlen INTEGER NOT NULL,"
     " department TEXT NOT NULL,"
     " dept_short TEXT NOT NULL,"
     " domain TEXT NOT NULL,"
     " level TEXT NOT NULL,"
     " objects TEXT NOT NULL);"
     "CREATE UNIQUE INDEX catalog_docs_entry ON catalog_docs(kind, code);"
     "CREATE TABLE catalog_grams ("
     " gram TEXT NOT NULL,"
     " tier INTEGER NOT NULL,"
     " nlen INTEGER NOT NULL,"
     " kind TEXT NOT NULL,"
     " code TEXT NOT NULL,"
     " rid INTEGER NOT NULL,"
     " PRIMARY KEY (gram, tier, nlen, kind DESC, code)) WITHOUT ROWID;"
     "CREATE INDEX catalog_grams_entry ON catalog_grams(kind, code);"},
    {4, "hall",
     /* 业务队列: a center's service lines. The prefix letter starts every ticket number of
      * the line (A023); one letter per center, so numbers are unique per center and day. */
     "CREATE TABLE service_lines ("
     " id INTEGER PRIMARY KEY,"
     " center_id INTEGER NOT NULL REFERENCES centers(id),"
     " prefix TEXT NOT NULL CHECK (length(prefix) = 1 AND prefix BETWEEN 'A' AND 'Z'),"
     " name TEXT NOT NULL,"
     " active INTEGER NOT NULL DEFAULT 1,"
     " created_at INTEGER NOT NULL,"
     " updated_at INTEGER NOT NULL);"
     "CREATE UNIQUE INDEX service_lines_prefix ON service_lines(center_id, prefix);"
     "CREATE TABLE service_line_items ("
     " line_id INTEGER NOT NULL REFERENCES service_lines(id),"
     " item_id INTEGER NOT NULL REFERENCES items(id),"
     " PRIMARY KEY (line_id, item_id));"
     "CREATE TABLE service_line_windows ("
     " line_id INTEGER NOT NULL REFERENCES service_lines(id),"
     " window_id INTEGER NOT NULL REFERENCES windows(id),"
     " PRIMARY KEY (line_id, window_id));"
     "CREATE INDEX service_line_windows_window ON service_line_windows(window_id);"

     /* The last serial issued per center, day and prefix letter, bumped in the same
      * transaction as the ticket insert: a number is never issued twice, restarts and
      * renamed lines included. */
     "CREATE TABLE ticket_counters ("
     " center_id INTEGER NOT NULL REFERENCES centers(id),"
     " service_day TEXT NOT NULL,"
     " prefix TEXT NOT NULL,"
     " last_serial INTEGER NOT NULL,"
     " PRIMARY KEY (center_id, service_day, prefix));"

     /* 排队号. service_day is the China Standard Time date of taking. queued_at is the
      * ticket's place in the queue (taken_at, moved back by a rejoin); window_id the
      * window that has it now (called, serving, or parked in its hold pool);
      * only_window_id / front_at come from a transfer. token is the random public
      * handle of the phone page. */
     "CREATE TABLE tickets ("
     " id INTEGER PRIMARY KEY,"
     " center_id INTEGER NOT NULL REFERENCES centers(id),"
     " service_day TEXT NOT NULL,"
     " line_id INTEGER NOT NULL REFERENCES service_lines(id),"
     " serial INTEGER NOT NULL,"
     " number TEXT NOT NULL,"
     " priority TEXT NOT NULL CHECK (priority IN ('green','appointment','normal')),"
     " source TEXT NOT NULL CHECK (source IN ('kiosk','guide','booking')),"
     " status TEXT NOT NULL CHECK (status IN ('waiting','called','serving','done','no_show',"
     "  'transferred','held','cancelled')),"
     " window_id INTEGER REFERENCES windows(id),"
     " only_window_id INTEGER REFERENCES windows(id),"
     " front_at INTEGER,"
     " queued_at INTEGER NOT NULL,"
     " taken_at INTEGER NOT NULL,"
     " called_at INTEGER,"
     " started_at INTEGER,"
     " finished_at INTEGER,"
     " recall_count INTEGER NOT NULL DEFAULT 0,"
     " noshow_count INTEGER NOT NULL DEFAULT 0,"
     " noshow_at INTEGER,"
     " served_by_window_id INTEGER REFERENCES windows(id),"
     " item_id INTEGER REFERENCES items(id),"
     " token TEXT NOT NULL UNIQUE,"
     " taken_by TEXT NOT NULL DEFAULT '');"
     "CREATE UNIQUE INDEX tickets_number ON tickets(center_id, service_day, number);"
     "CREATE INDEX tickets_queue ON tickets(center_id, service_day, status);"
     "CREATE INDEX tickets_window ON tickets(window_id, status);"
     "CREATE INDEX tickets_line ON tickets(line_id, service_day, status);"
     "CREATE INDEX tickets_served ON tickets(served_by_window_id, service_day);"
     /* Idempotency-Key of ticket takes: a kiosk that retries after a lost answer gets
      * its first ticket back, not a second number. */
     "CREATE TABLE ticket_requests ("
     " caller TEXT NOT NULL,"
     " idem_key TEXT NOT NULL,"
     " ticket_id INTEGER NOT NULL REFERENCES tickets(id),"
     " created_at INTEGER NOT NULL,"
     " PRIMARY KEY (caller, idem_key));"

     /* 窗口状态: open or paused, the ticket at the window, and the interleave position
      * of the queue policy (core/qpolicy.h qp_rr) kept per window. No row = closed. */
     "CREATE TABLE window_states ("
     " window_id INTEGER PRIMARY KEY REFERENCES windows(id),"
     " center_id INTEGER NOT NULL REFERENCES centers(id),"
     " state TEXT NOT NULL CHECK (state IN ('open','paused','closed')),"
     " current_ticket_id INTEGER REFERENCES tickets(id),"
     " user_id INTEGER REFERENCES users(id),"
     " rr TEXT NOT NULL DEFAULT '0,0,0,0,0,0',"
     " updated_at INTEGER NOT NULL);"

     /* Per-center queue settings (DOMAIN.md: every number is a setting). */
     "CREATE TABLE hall_settings ("
     " center_id INTEGER PRIMARY KEY REFERENCES centers(id),"
     " pattern TEXT NOT NULL DEFAULT '3:2:1',"
     " aging_s INTEGER NOT NULL DEFAULT 600,"
     " max_wait_s INTEGER NOT NULL DEFAULT 3600,"
     " recall_limit INTEGER NOT NULL DEFAULT 3,"
     " rejoin_within_s INTEGER NOT NULL DEFAULT 1800,"
     " updated_at INTEGER NOT NULL);"

     /* 大厅事件: append-only; id is the server-sent event id screens resume from. */
     "CREATE TABLE hall_events ("
     " id INTEGER PRIMARY KEY AUTOINCREMENT,"
     " center_id INTEGER NOT NULL REFERENCES centers(id),"
     " kind TEXT NOT NULL,"
     " payload TEXT NOT NULL,"
     " at INTEGER NOT NULL);"
     "CREATE INDEX hall_events_center ON hall_events(center_id, id);"
     "CREATE TRIGGER hall_events_no_update BEFORE UPDATE ON hall_events"
     " BEGIN SELECT RAISE(ABORT, 'hall_events is append-only'); END;"
     "CREATE TRIGGER hall_events_no_delete BEFORE DELETE ON hall_events"
     " BEGIN SELECT RAISE(ABORT, 'hall_events is append-only'); END;"},
    {5, "appointments",
     /* 预约 settings per center (DOMAIN.md §4: every number is a setting). book_pct is the
      * share of a slot's capacity open for booking; the rest stays for walk-ins. */
     "CREATE TABLE booking_settings ("
     " center_id INTEGER PRIMARY KEY REFERENCES centers(id),"
     " slot_min INTEGER NOT NULL DEFAULT 30,"
     " horizon_days INTEGER NOT NULL DEFAULT 14,"
     " book_pct INTEGER NOT NULL DEFAULT 50,"
     " default_handle_min INTEGER NOT NULL DEFAULT 12,"
     " early_min INTEGER NOT NULL DEFAULT 60,"
     " late_grace_min INTEGER NOT NULL DEFAULT 15,"
     " noshow_limit INTEGER NOT NULL DEFAULT 3,"
     " noshow_window_days INTEGER NOT NULL DEFAULT 30,"
     " suspend_days INTEGER NOT NULL DEFAULT 30,"
     " updated_at INTEGER NOT NULL);"

     /* 预约. The applicant is a people row (found or created by ID number); the mobile
      * given with the booking is kept sealed here, for reminders and for checking who
      * asks to see or change it (a public request never edits the people row). A
      * slot's capacity is checked and the row inserted in one write transaction of the
      * single writer, so two requests can never both take a slot's last place. */
     "CREATE TABLE bookings ("
     " id INTEGER PRIMARY KEY,"
     " center_id INTEGER NOT NULL REFERENCES centers(id),"
     " line_id INTEGER NOT NULL REFERENCES service_lines(id),"
     " person_id INTEGER NOT NULL REFERENCES people(id),"
     " name TEXT NOT NULL,"
     " ident_masked TEXT NOT NULL,"
     " mobile_cipher TEXT NOT NULL,"
     " mobile_index TEXT NOT NULL,"
     " mobile_masked TEXT NOT NULL,"
     " service_day TEXT NOT NULL,"
     " slot_start TEXT NOT NULL,"
     " slot_end TEXT NOT NULL,"
     " start_at INTEGER NOT NULL,"
     " end_at INTEGER NOT NULL,"
     " code TEXT NOT NULL UNIQUE,"
     " token TEXT NOT NULL UNIQUE,"
     " status TEXT NOT NULL CHECK (status IN ('booked','cancelled','checked_in','late',"
     "  'no_show','rescheduled')),"
     " channel TEXT NOT NULL CHECK (channel IN ('portal','phone','window')),"
     " ticket_id INTEGER REFERENCES tickets(id),"
     " replaces_id INTEGER REFERENCES bookings(id),"
     " created_by TEXT NOT NULL DEFAULT '',"
     " created_at INTEGER NOT NULL,"
     " updated_at INTEGER NOT NULL);"
     "CREATE INDEX bookings_slot ON bookings(line_id, service_day, slot_start, status);"
     "CREATE INDEX bookings_person ON bookings(person_id, status);"
     "CREATE INDEX bookings_due ON bookings(status, end_at);"
     "CREATE UNIQUE INDEX bookings_one_per_day ON bookings(person_id, line_id, service_day)"
     " WHERE status = 'booked';"

     /* Idempotency-Key of booking requests: a retried request answers the first
      * booking. caller is "person:<blind index>" for the public, "user:N" for staff. */
     "CREATE TABLE booking_requests ("
     " caller TEXT NOT NULL,"
     " idem_key TEXT NOT NULL,"
     " booking_id INTEGER NOT NULL REFERENCES bookings(id),"
     " created_at INTEGER NOT NULL,"
     " PRIMARY KEY (caller, idem_key));"

     /* A ticket may carry a mobile for 'your turn is near' (sealed like people's). */
     "ALTER TABLE tickets ADD COLUMN booking_id INTEGER REFERENCES bookings(id);"
     "ALTER TABLE tickets ADD COLUMN notify_cipher TEXT NOT NULL DEFAULT '';"
     "ALTER TABLE tickets ADD COLUMN near_sent INTEGER NOT NULL DEFAULT 0;"

     /* 发件箱: every message to the outside (SMS now; the provincial platform later) is
      * a row written in the same transaction as the change that causes it, then handed
      * to the configured sender by a worker; ref makes each message unique so a retry
      * or a repeated sweep never sends twice. The recipient is sealed (pii.h). */
     "CREATE TABLE outbox ("
     " id INTEGER PRIMARY KEY,"
     " channel TEXT NOT NULL CHECK (channel IN ('sms')),"
     " topic TEXT NOT NULL,"
     " ref TEXT NOT NULL UNIQUE,"
     " center_id INTEGER REFERENCES centers(id),"
     " to_cipher TEXT NOT NULL,"
     " to_masked TEXT NOT NULL,"
     " body TEXT NOT NULL,"
     " due_at INTEGER NOT NULL,"
     " status TEXT NOT NULL CHECK (status IN ('pending','sent','failed','cancelled')),"
     " attempts INTEGER NOT NULL DEFAULT 0,"
     " last_error TEXT NOT NULL DEFAULT '',"
     " sent_at INTEGER,"
     " created_at INTEGER NOT NULL);"
     "CREATE INDEX outbox_due ON outbox(status, due_at);"},
    {6, "sms verification codes",
     /* 短信验证码: proof that whoever books online (or looks up bookings) holds the
      * mobile. The code itself is never stored: code_hash is a keyed hash of the row's
      * id and the code (pii_index), and the SMS body is blanked once sent. */
     "CREATE TABLE sms_codes ("
     " id INTEGER PRIMARY KEY,"
     " mobile_index TEXT NOT NULL,"
     " purpose TEXT NOT NULL CHECK (purpose IN ('booking')),"
     " code_hash TEXT NOT NULL,"
     " attempts INTEGER NOT NULL DEFAULT 0,"
     " created_at INTEGER NOT NULL,"
     " expires_at INTEGER NOT NULL);"
     "CREATE INDEX sms_codes_mobile ON sms_codes(mobile_index, purpose, id);"},
    {7, "hall figures from indexes",
     /* A window's figures after each action (served today, mean handling) and a line's
      * recent handling time (the wait estimate on every ticket) read only the index:
      * the line's last 20 done tickets by finish time without a sort, the window's
      * done tickets without their rows. Both were the writer's top cost in
      * bench/hall_cycle.sh. */
     "DROP INDEX tickets_line;"
     "CREATE INDEX tickets_line ON tickets(line_id, service_day, status, finished_at);"
     "DROP INDEX tickets_served;"
     "CREATE INDEX tickets_served ON tickets(served_by_window_id, service_day, status,"
     " started_at, finished_at);"},
    {8, "hall checks without temporary tables",
     /* The same tables with the same rows and the same allowed values, checked by OR
      * chains: SQLite checks "x IN (more than two values)" through a temporary table it
      * builds on every insert and every status change (with its own page cache), a
      * tenth of the writer's CPU in bench/hall_cycle.sh. Rebuilt the documented way
      * (a new table, copy, drop, rename; foreign keys are off while migrations run and
      * checked after each one, see store.c). Column order is unchanged. */
     "CREATE TABLE tickets_new ("
     " id INTEGER PRIMARY KEY,"
     " center_id INTEGER NOT NULL REFERENCES centers(id),"
     " service_day TEXT NOT NULL,"
     " line_id INTEGER NOT NULL REFERENCES service_lines(id),"
     " serial INTEGER NOT NULL,"
     " number TEXT NOT NULL,"
     " priority TEXT NOT NULL CHECK (priority = 'green' OR priority = 'appointment'"
     "  OR priority = 'normal'),"
     " source TEXT NOT NULL CHECK (source = 'kiosk' OR source = 'guide' OR source = 'booking'),"
     " status TEXT NOT NULL CHECK (status = 'waiting' OR status = 'called' OR status = 'serving'"
     "  OR status = 'done' OR status = 'no_show' OR status = 'transferred' OR status = 'held'"
     "  OR status = 'cancelled'),"
     " window_id INTEGER REFERENCES windows(id),"
     " only_window_id INTEGER REFERENCES windows(id),"
     " front_at INTEGER,"
     " queued_at INTEGER NOT NULL,"
     " taken_at INTEGER NOT NULL,"
     " called_at INTEGER,"
     " started_at INTEGER,"
     " finished_at INTEGER,"
     " recall_count INTEGER NOT NULL DEFAULT 0,"
     " noshow_count INTEGER NOT NULL DEFAULT 0,"
     " noshow_at INTEGER,"
     " served_by_window_id INTEGER REFERENCES windows(id),"
     " item_id INTEGER REFERENCES items(id),"
     " token TEXT NOT NULL UNIQUE,"
     " taken_by TEXT NOT NULL DEFAULT '',"
     " booking_id INTEGER REFERENCES bookings(id),"
     " notify_cipher TEXT NOT NULL DEFAULT '',"
     " near_sent INTEGER NOT NULL DEFAULT 0);"
     "INSERT INTO tickets_new SELECT * FROM tickets;"
     "DROP TABLE tickets;"
     "ALTER TABLE tickets_new RENAME TO tickets;"
     "CREATE UNIQUE INDEX tickets_number ON tickets(center_id, service_day, number);"
     "CREATE INDEX tickets_queue ON tickets(center_id, service_day, status);"
     "CREATE INDEX tickets_window ON tickets(window_id, status);"
     "CREATE INDEX tickets_line ON tickets(line_id, service_day, status, finished_at);"
     "CREATE INDEX tickets_served ON tickets(served_by_window_id, service_day, status,"
     " started_at, finished_at);"
     "CREATE TABLE window_states_new ("
     " window_id INTEGER PRIMARY KEY REFERENCES windows(id),"
     " center_id INTEGER NOT NULL REFERENCES centers(id),"
     " state TEXT NOT NULL CHECK (state = 'open' OR state = 'paused' OR state = 'closed'),"
     " current_ticket_id INTEGER REFERENCES tickets(id),"
     " user_id INTEGER REFERENCES users(id),"
     " rr TEXT NOT NULL DEFAULT '0,0,0,0,0,0',"
     " updated_at INTEGER NOT NULL);"
     "INSERT INTO window_states_new SELECT * FROM window_states;"
     "DROP TABLE window_states;"
     "ALTER TABLE window_states_new RENAME TO window_states;"},
};

const int store_migration_count = (int)(sizeof(store_migrations) / sizeof(store_migrations[0]));
