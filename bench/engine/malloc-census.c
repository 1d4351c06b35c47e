/*
 * Malloc census: which native allocations made during a window are still
 * live at its end, with the three callers above malloc. A diagnostic for
 * bench/engine/tls-floor.js --census (what OpenSSL and Node hold per idle
 * TLS connection); not part of any product build.
 *
 *   gcc -O2 -shared -fPIC -o .bench/engine/malloc-census.so bench/engine/malloc-census.c -ldl -lpthread
 *   MALLOC_CENSUS_DIR=.bench/engine/census LD_PRELOAD=$PWD/.bench/engine/malloc-census.so \
 *     node --expose-gc bench/engine/tls-floor.js --census --sessions 1000
 *
 * Node resets signal handlers at start, so the window is driven by files in
 * MALLOC_CENSUS_DIR, polled every 50 ms: "start" opens it, "dump" closes it
 * and writes live.<pid>.txt ("size caller1 caller2 caller3" per live
 * allocation), then "done". Tracking costs a lock and a backtrace per
 * allocation: the process runs many times slower, so time nothing with it.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

#define SLOTS (1u << 22) /* open addressing; 4M slots, ~160 MB, touched only as used */
#define TOMBSTONE ((void *)1)

typedef struct {
  void *ptr;
  size_t size;
  void *callers[3];
} Slot;

static Slot *table;
static volatile int tracking;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static __thread int busy; /* backtrace() may allocate: never track from inside the tracker */
static char dir[512];

static size_t slot_of(void *p) { return ((size_t)p >> 4) * 2654435761u & (SLOTS - 1); }

static void track(void *p, size_t size) {
  if (!tracking || !p || busy) return;
  busy = 1;
  void *frames[5];
  int n = backtrace(frames, 5);
  pthread_mutex_lock(&lock);
  size_t i = slot_of(p);
  while (table[i].ptr && table[i].ptr != TOMBSTONE) i = (i + 1) & (SLOTS - 1);
  table[i].ptr = p;
  table[i].size = size;
  for (int k = 0; k < 3; k++) table[i].callers[k] = n > k + 2 ? frames[k + 2] : 0;
  pthread_mutex_unlock(&lock);
  busy = 0;
}

static void untrack(void *p) {
  if (!p || !table) return;
  pthread_mutex_lock(&lock);
  for (size_t i = slot_of(p); table[i].ptr; i = (i + 1) & (SLOTS - 1)) {
    if (table[i].ptr == p) {
      table[i].ptr = TOMBSTONE;
      break;
    }
  }
  pthread_mutex_unlock(&lock);
}

void *malloc(size_t n) {
  void *p = __libc_malloc(n);
  track(p, n);
  return p;
}
void *calloc(size_t a, size_t b) {
  void *p = __libc_calloc(a, b);
  track(p, a * b);
  return p;
}
void *realloc(void *old, size_t n) {
  untrack(old);
  void *p = __libc_realloc(old, n);
  track(p, n);
  return p;
}
void free(void *p) {
  untrack(p);
  __libc_free(p);
}

static const char *name_of(void *address) {
  Dl_info info;
  return address && dladdr(address, &info) && info.dli_sname ? info.dli_sname : "?";
}

static void dump(void) {
  tracking = 0;
  busy = 1;
  char path[600];
  snprintf(path, sizeof path, "%s/live.%d.txt", dir, (int)getpid());
  FILE *out = fopen(path, "w");
  for (size_t i = 0; out && i < SLOTS; i++) {
    if (!table[i].ptr || table[i].ptr == TOMBSTONE) continue;
    fprintf(out, "%zu %s %s %s\n", table[i].size, name_of(table[i].callers[0]),
            name_of(table[i].callers[1]), name_of(table[i].callers[2]));
  }
  if (out) fclose(out);
  snprintf(path, sizeof path, "%s/done", dir);
  FILE *done = fopen(path, "w");
  if (done) fclose(done);
  busy = 0;
}

static int exists(const char *name) {
  char path[600];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return access(path, F_OK) == 0;
}

static void *watch(void *unused) {
  (void)unused;
  for (;;) {
    usleep(50000);
    if (!tracking && exists("start") && !exists("done")) tracking = 1;
    if (tracking && exists("dump")) {
      dump();
      return 0;
    }
  }
}

__attribute__((constructor)) static void start(void) {
  const char *d = getenv("MALLOC_CENSUS_DIR");
  if (!d) return;
  snprintf(dir, sizeof dir, "%s", d);
  busy = 1;
  table = calloc(SLOTS, sizeof(Slot));
  busy = 0;
  pthread_t thread;
  if (table) pthread_create(&thread, 0, watch, 0);
}
