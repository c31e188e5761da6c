// The benchmark's own MySQL client, for the workloads sysbench does not cover. Built by bench/run with
// `cc -O2 bench/loadclient.c $(pkg-config --cflags --libs libmariadb) -lpthread`.
//
// HOST is an address, or the path of a Unix socket (then PORT is ignored: give 0).
//
//   loadclient churn  HOST PORT USER PASS DB SECONDS THREADS  connect, SELECT 1, disconnect, in a loop
//   loadclient stream HOST PORT USER PASS DB ROWS WATCH_PID   SELECT REPEAT('x',1000) FROM seq_1_to_ROWS, read
//                                                             row by row (mysql_use_result); samples WATCH_PID's
//                                                             RSS every 10 ms
//   loadclient idle   HOST PORT USER PASS DB COUNT THREADS    open COUNT sessions (each runs SELECT 1), report,
//                                                             hold them until a line arrives on stdin
//
// Every mode prints one line of key=value pairs on stdout and exits 0 when the run itself worked (errors are
// counted in the output, not fatal, except where no measurement is possible).
#include <errno.h>
#include <mysql.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static const char* g_host;
static unsigned g_port;
static const char* g_user;
static const char* g_pass;
static const char* g_db;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long rss_kib(long pid) {
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%ld/status", pid);
    FILE* f = fopen(path, "r");
    if (!f) return -1;
    long kib = -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "VmRSS:", 6) == 0) {
            kib = strtol(line + 6, NULL, 10);
            break;
        }
    }
    fclose(f);
    return kib;
}

// A connected session with generous timeouts (a loaded 2-core machine answers slowly), or NULL.
static MYSQL* open_session(char* err, size_t errlen) {
    MYSQL* m = mysql_init(NULL);
    if (!m) {
        snprintf(err, errlen, "mysql_init failed");
        return NULL;
    }
    unsigned timeout = 30;
    mysql_optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    mysql_optionsv(m, MYSQL_OPT_READ_TIMEOUT, &timeout);
    mysql_optionsv(m, MYSQL_OPT_WRITE_TIMEOUT, &timeout);
    // A HOST that starts with '/' is a Unix socket's path (PORT is then ignored).
    int on_socket = g_host[0] == '/';
    unsigned protocol = on_socket ? MYSQL_PROTOCOL_SOCKET : MYSQL_PROTOCOL_TCP;
    mysql_optionsv(m, MYSQL_OPT_PROTOCOL, &protocol);
    if (!mysql_real_connect(m, on_socket ? NULL : g_host, g_user, g_pass, g_db, on_socket ? 0 : g_port,
                            on_socket ? g_host : NULL, 0)) {
        snprintf(err, errlen, "%u %s", mysql_errno(m), mysql_error(m));
        mysql_close(m);
        return NULL;
    }
    return m;
}

static int select_one(MYSQL* m) {
    if (mysql_query(m, "SELECT 1") != 0) return -1;
    MYSQL_RES* r = mysql_store_result(m);
    if (!r) return -1;
    MYSQL_ROW row = mysql_fetch_row(r);
    int ok = row && row[0] && strcmp(row[0], "1") == 0;
    mysql_free_result(r);
    return ok ? 0 : -1;
}

static void raise_nofile(void) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

// ---- churn -------------------------------------------------------------------------------------------------

static double g_deadline;
static atomic_long g_done, g_failed;
static char g_first_error[256];
static atomic_int g_have_error;

static void note_error(const char* what) {
    if (atomic_exchange(&g_have_error, 1) == 0) snprintf(g_first_error, sizeof g_first_error, "%s", what);
}

static void* churn_thread(void* arg) {
    (void)arg;
    char err[256];
    while (now_s() < g_deadline) {
        MYSQL* m = open_session(err, sizeof err);
        if (!m) {
            atomic_fetch_add(&g_failed, 1);
            note_error(err);
            usleep(1000);  // a refused connect returns at once: do not spin on it
            continue;
        }
        if (select_one(m) == 0) {
            atomic_fetch_add(&g_done, 1);
        } else {
            atomic_fetch_add(&g_failed, 1);
            snprintf(err, sizeof err, "SELECT 1: %u %s", mysql_errno(m), mysql_error(m));
            note_error(err);
        }
        mysql_close(m);
    }
    return NULL;
}

static int run_churn(double seconds, int threads) {
    pthread_t tid[256];
    if (threads < 1 || threads > 256) return 2;
    double start = now_s();
    g_deadline = start + seconds;
    for (int i = 0; i < threads; ++i) pthread_create(&tid[i], NULL, churn_thread, NULL);
    for (int i = 0; i < threads; ++i) pthread_join(tid[i], NULL);
    double elapsed = now_s() - start;
    struct rusage ru;  // this client's own CPU, user and kernel: the part of a connect no proxy can take away
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
                 (double)ru.ru_stime.tv_usec / 1e6;
    printf("connects=%ld errors=%ld seconds=%.3f per_second=%.1f client_cpu_s=%.3f first_error=\"%s\"\n",
           atomic_load(&g_done), atomic_load(&g_failed), elapsed, (double)atomic_load(&g_done) / elapsed, cpu,
           atomic_load(&g_have_error) ? g_first_error : "");
    return 0;
}

// ---- stream ------------------------------------------------------------------------------------------------

static atomic_int g_stop_sampler;
static long g_watch_pid, g_rss_peak;

static void* sampler_thread(void* arg) {
    (void)arg;
    while (!atomic_load(&g_stop_sampler)) {
        long kib = rss_kib(g_watch_pid);
        if (kib > g_rss_peak) g_rss_peak = kib;
        usleep(10000);
    }
    return NULL;
}

static int run_stream(long rows, long watch_pid) {
    char err[256], sql[128];
    MYSQL* m = open_session(err, sizeof err);
    if (!m) {
        fprintf(stderr, "loadclient: connect: %s\n", err);
        return 1;
    }
    g_watch_pid = watch_pid;
    long before = watch_pid > 0 ? rss_kib(watch_pid) : -1;
    g_rss_peak = before;
    pthread_t sampler;
    if (watch_pid > 0) pthread_create(&sampler, NULL, sampler_thread, NULL);
    snprintf(sql, sizeof sql, "SELECT REPEAT('x',1000) FROM seq_1_to_%ld", rows);
    double start = now_s();
    long got = 0;
    unsigned long long bytes = 0;
    int failed = 0;
    if (mysql_query(m, sql) != 0) {
        failed = 1;
    } else {
        MYSQL_RES* r = mysql_use_result(m);
        if (!r) {
            failed = 1;
        } else {
            while (mysql_fetch_row(r)) {
                bytes += mysql_fetch_lengths(r)[0];
                ++got;
            }
            if (mysql_errno(m)) failed = 1;
            mysql_free_result(r);
        }
    }
    double elapsed = now_s() - start;
    if (watch_pid > 0) {
        atomic_store(&g_stop_sampler, 1);
        pthread_join(sampler, NULL);
    }
    if (failed || got != rows) {
        fprintf(stderr, "loadclient: stream: %ld of %ld rows, %u %s\n", got, rows, mysql_errno(m), mysql_error(m));
        mysql_close(m);
        return 1;
    }
    mysql_close(m);
    printf("rows=%ld bytes=%llu seconds=%.3f mib_per_s=%.1f rss_before_kib=%ld rss_peak_kib=%ld\n", got, bytes,
           elapsed, (double)bytes / (1 << 20) / elapsed, before, g_rss_peak);
    return 0;
}

// ---- idle --------------------------------------------------------------------------------------------------

static MYSQL** g_sessions;
static long g_count;
static atomic_long g_next;

static void* idle_thread(void* arg) {
    (void)arg;
    char err[256];
    for (;;) {
        long i = atomic_fetch_add(&g_next, 1);
        if (i >= g_count) return NULL;
        MYSQL* m = open_session(err, sizeof err);
        if (m && select_one(m) != 0) {
            snprintf(err, sizeof err, "SELECT 1: %u %s", mysql_errno(m), mysql_error(m));
            mysql_close(m);
            m = NULL;
        }
        if (!m) {
            atomic_fetch_add(&g_failed, 1);
            note_error(err);
        }
        g_sessions[i] = m;
    }
}

static int run_idle(long count, int threads) {
    pthread_t tid[256];
    if (threads < 1 || threads > 256 || count < 1) return 2;
    raise_nofile();
    g_count = count;
    g_sessions = calloc((size_t)count, sizeof *g_sessions);
    double start = now_s();
    for (int i = 0; i < threads; ++i) pthread_create(&tid[i], NULL, idle_thread, NULL);
    for (int i = 0; i < threads; ++i) pthread_join(tid[i], NULL);
    double elapsed = now_s() - start;
    long open = count - atomic_load(&g_failed);
    printf("open=%ld errors=%ld seconds=%.3f first_error=\"%s\"\n", open, atomic_load(&g_failed), elapsed,
           atomic_load(&g_have_error) ? g_first_error : "");
    fflush(stdout);
    char line[64];
    if (!fgets(line, sizeof line, stdin)) { /* EOF: the harness is gone; close anyway */
    }
    for (long i = 0; i < count; ++i)
        if (g_sessions[i]) mysql_close(g_sessions[i]);
    free(g_sessions);
    return 0;
}

int main(int argc, char** argv) {
    if (argc != 9) {
        fprintf(stderr, "usage: loadclient churn|stream|idle HOST PORT USER PASS DB ARG1 ARG2 (see the source)\n");
        return 2;
    }
    g_host = argv[2];
    g_port = (unsigned)strtoul(argv[3], NULL, 10);
    g_user = argv[4];
    g_pass = argv[5];
    g_db = argv[6];
    if (mysql_library_init(0, NULL, NULL)) return 1;
    int rc = 2;
    if (strcmp(argv[1], "churn") == 0) rc = run_churn(strtod(argv[7], NULL), atoi(argv[8]));
    else if (strcmp(argv[1], "stream") == 0) rc = run_stream(strtol(argv[7], NULL, 10), strtol(argv[8], NULL, 10));
    else if (strcmp(argv[1], "idle") == 0) rc = run_idle(strtol(argv[7], NULL, 10), atoi(argv[8]));
    mysql_library_end();
    return rc;
}
