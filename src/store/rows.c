/* rows.c - see rows.h. Types come from the engine (db_col_type); booleans, which SQL
 * stores as integers, are recognized by column name. */
#include "store/rows.h"

#include <stdlib.h>
#include <string.h>

static bool is_bool_column(const char *name)
{
    return strncmp(name, "is_", 3) == 0 || strcmp(name, "disabled") == 0 ||
           strcmp(name, "must_change_password") == 0 || strcmp(name, "revoked") == 0;
}

json_t *rows_object(db_stmt *st)
{
    json_t *o = json_object();
    int n = db_col_count(st);
    for (int i = 0; i < n; i++) {
        const char *name = db_col_name(st, i);
        json_t *v;
        db_type t = db_col_type(st, i);
        if (t == DB_T_NULL)
            v = json_null();
        else if (t == DB_T_INT && is_bool_column(name))
            v = json_boolean(db_col_int(st, i) != 0);
        else if (t == DB_T_INT)
            v = json_integer(db_col_int(st, i));
        else
            v = json_string(db_col_text(st, i));
        json_object_set_new(o, name, v ? v : json_null());
    }
    return o;
}

json_t *rows_all(db_stmt *st, int limit)
{
    json_t *arr = json_array();
    int rc = DB_DONE;
    while ((limit < 0 || (int)json_array_size(arr) < limit) && (rc = db_step(st)) == DB_ROW)
        json_array_append_new(arr, rows_object(st));
    if (rc < 0) {
        json_decref(arr);
        arr = NULL;
    }
    db_reset(st);
    return arr;
}

json_t *rows_one(db_stmt *st)
{
    json_t *o = NULL;
    if (db_step(st) == DB_ROW)
        o = rows_object(st);
    db_reset(st);
    return o;
}

json_t *rows_ints(db_stmt *st)
{
    json_t *arr = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(arr, json_integer(db_col_int(st, 0)));
    db_reset(st);
    if (rc < 0) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}
