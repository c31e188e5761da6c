/* Ad-hoc capture driver: prepared statements with long data, a read-only cursor with fetches, re-execution. */
#include <mysql.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

static void die(MYSQL *m, MYSQL_STMT *s, const char *what) {
  fprintf(stderr, "%s: %s\n", what, s ? mysql_stmt_error(s) : mysql_error(m));
  exit(1);
}

int main(int argc, char **argv) {
  int port = atoi(argv[1]);
  MYSQL *m = mysql_init(NULL);
  if (!mysql_real_connect(m, "127.0.0.1", "sluice", "Secr3t!pw", "t", port, NULL, 0)) die(m, NULL, "connect");

  /* 1. INSERT with a parameter sent as long data in two chunks. */
  MYSQL_STMT *ins = mysql_stmt_init(m);
  const char *q1 = "INSERT INTO items (id, name, data) VALUES (?, ?, ?)";
  if (mysql_stmt_prepare(ins, q1, strlen(q1))) die(m, ins, "prepare insert");
  int id = 10;
  char name[] = "longdata";
  unsigned long name_len = strlen(name);
  MYSQL_BIND pb[3];
  memset(pb, 0, sizeof pb);
  pb[0].buffer_type = MYSQL_TYPE_LONG; pb[0].buffer = &id;
  pb[1].buffer_type = MYSQL_TYPE_STRING; pb[1].buffer = name; pb[1].length = &name_len;
  pb[2].buffer_type = MYSQL_TYPE_BLOB;
  if (mysql_stmt_bind_param(ins, pb)) die(m, ins, "bind");
  if (mysql_stmt_send_long_data(ins, 2, "first chunk;", 12)) die(m, ins, "long1");
  if (mysql_stmt_send_long_data(ins, 2, "second chunk", 12)) die(m, ins, "long2");
  if (mysql_stmt_execute(ins)) die(m, ins, "exec insert");
  mysql_stmt_close(ins);

  /* 2. SELECT through a read-only cursor, fetched 2 rows at a time. */
  MYSQL_STMT *sel = mysql_stmt_init(m);
  const char *q2 = "SELECT id, name, price, created, f FROM items WHERE id > ? ORDER BY id";
  if (mysql_stmt_prepare(sel, q2, strlen(q2))) die(m, sel, "prepare select");
  unsigned long cursor = CURSOR_TYPE_READ_ONLY, prefetch = 2;
  mysql_stmt_attr_set(sel, STMT_ATTR_CURSOR_TYPE, &cursor);
  mysql_stmt_attr_set(sel, STMT_ATTR_PREFETCH_ROWS, &prefetch);
  int min_id = 0;
  MYSQL_BIND sb;
  memset(&sb, 0, sizeof sb);
  sb.buffer_type = MYSQL_TYPE_LONG; sb.buffer = &min_id;
  if (mysql_stmt_bind_param(sel, &sb)) die(m, sel, "bind sel");
  if (mysql_stmt_execute(sel)) die(m, sel, "exec sel");
  char out[5][64]; unsigned long out_len[5]; my_bool out_null[5];
  MYSQL_BIND rb[5];
  memset(rb, 0, sizeof rb);
  for (int i = 0; i < 5; i++) {
    rb[i].buffer_type = MYSQL_TYPE_STRING; rb[i].buffer = out[i]; rb[i].buffer_length = sizeof out[i];
    rb[i].length = &out_len[i]; rb[i].is_null = &out_null[i];
  }
  mysql_stmt_bind_result(sel, rb);
  int n = 0, rc;
  while ((rc = mysql_stmt_fetch(sel)) == 0 || rc == MYSQL_DATA_TRUNCATED) n++;
  printf("cursor rows: %d\n", n);

  /* 3. Re-execute without a cursor (binary result set in one go): metadata may be cached. */
  unsigned long no_cursor = CURSOR_TYPE_NO_CURSOR;
  mysql_stmt_attr_set(sel, STMT_ATTR_CURSOR_TYPE, &no_cursor);
  min_id = 2;
  if (mysql_stmt_execute(sel)) die(m, sel, "exec sel 2");
  mysql_stmt_store_result(sel);
  n = 0;
  while ((rc = mysql_stmt_fetch(sel)) == 0 || rc == MYSQL_DATA_TRUNCATED) n++;
  printf("plain rows: %d\n", n);
  min_id = 3;
  if (mysql_stmt_execute(sel)) die(m, sel, "exec sel 3");
  mysql_stmt_store_result(sel);
  mysql_stmt_reset(sel);
  mysql_stmt_close(sel);

  /* 4. A prepare that fails. */
  MYSQL_STMT *bad = mysql_stmt_init(m);
  if (!mysql_stmt_prepare(bad, "SELEC 1", 7)) die(m, bad, "bad prepare succeeded");
  mysql_stmt_close(bad);
  mysql_close(m);
  return 0;
}
