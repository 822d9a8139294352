/*
 * atomic_file.c — exclusive temporary files, sync and the final rename.
 */
#define _GNU_SOURCE /* mkostemps */
#include "atomic_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <pthread.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static mode_t file_mode;

/* The temporaries that exist now, for a signal handler to remove: a slot
 * is reserved before its file is created, holds the name (LIVE) from the
 * moment the file exists and is emptied after it is renamed or removed,
 * so the handler reads only whole names and at worst unlinks one that is
 * already gone. More live files than slots are written all the same,
 * only not cleaned by a signal. */
enum { LIVE_SLOTS = 32, FREE = 0, RESERVED, LIVE };
static struct live {
    volatile sig_atomic_t state;
    char path[1100];
} live[LIVE_SLOTS];

static struct live *live_reserve(void)
{
    for (int i = 0; i < LIVE_SLOTS; i++)
        if (live[i].state == FREE) {
            live[i].state = RESERVED;
            return &live[i];
        }
    return NULL;
}

static void live_remove(const char *path)
{
    for (int i = 0; i < LIVE_SLOTS; i++)
        if (live[i].state == LIVE && strcmp(live[i].path, path) == 0)
            live[i].state = FREE;
}

/* Unlinks path + suffix; only async-signal-safe calls. */
static void unlink_with(const char *path, const char *suffix)
{
    char buf[1200];
    size_t n = strlen(path), k = strlen(suffix);
    if (n + k >= sizeof buf)
        return;
    memcpy(buf, path, n);
    memcpy(buf + n, suffix, k + 1);
    unlink(buf);
}

void bm_atomic_file_remove_all(void)
{
    for (int i = 0; i < LIVE_SLOTS; i++)
        if (live[i].state == LIVE) {
            unlink_with(live[i].path, "");
            unlink_with(live[i].path, "-journal");
            unlink_with(live[i].path, "-wal");
            unlink_with(live[i].path, "-shm");
        }
}

static void on_signal(int sig)
{
    int saved = errno;
    bm_atomic_file_remove_all();
    signal(sig, SIG_DFL);
    errno = saved;
    raise(sig); /* delivered when the handler returns: the process ends as it would have */
}

void bm_atomic_file_clean_on_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGXFSZ};
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaddset(&sa.sa_mask, sigs[i]);
    /* A signal the caller ignores (nohup, trap '' XFSZ) stays ignored. */
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
}

/* mkostemps creates files readable by their owner only; the output gets
 * the mode any new file of the user gets. umask can only be read by
 * setting it, so that is done once. */
static void read_umask(void)
{
    mode_t mask = umask(022);
    umask(mask);
    file_mode = 0666 & ~mask;
}

/* Removes what runs killed before they could clean up left for this
 * output: ".<stem>.tmp-<pid>-XXXXXX<ext>" (and SQLite's "-journal" beside
 * it) whose process no longer exists. */
static void remove_stale(const char *dir, const char *stem, int stem_len, const char *ext)
{
    char prefix[1100], path[2200];
    int n = snprintf(prefix, sizeof prefix, ".%.*s.tmp-", stem_len, stem);
    DIR *d = opendir(*dir ? dir : ".");
    for (struct dirent *e; d && n > 0 && (e = readdir(d)) != NULL;) {
        char *end;
        if (strncmp(e->d_name, prefix, (size_t)n) != 0)
            continue;
        long pid = strtol(e->d_name + n, &end, 10);
        if (end == e->d_name + n || pid <= 0 || *end != '-' || strlen(end + 1) < 6 ||
            strncmp(end + 7, ext, strlen(ext)) != 0 || pid == (long)getpid())
            continue;
        if (kill((pid_t)pid, 0) == -1 && errno == ESRCH) {
            snprintf(path, sizeof path, "%s%s", dir, e->d_name);
            unlink(path);
        }
    }
    if (d)
        closedir(d);
}

bm_status bm_atomic_file_begin(bm_atomic_file *f, const char *path, bm_error *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, read_umask);
    f->fd = -1;
    if (strlen(path) >= sizeof f->final_path)
        return bm_error_set(err, BM_ERR_USAGE, path, 0, NULL,
                            "output path too long (%zu bytes at most)",
                            sizeof f->final_path - 1);
    snprintf(f->final_path, sizeof f->final_path, "%s", path);

    const char *slash = strrchr(path, '/');
    int dir_len = slash ? (int)(slash - path + 1) : 0;
    const char *base = path + dir_len;
    const char *dot = strrchr(base, '.');
    const char *ext = dot ? dot : "";
    int stem_len = dot ? (int)(dot - base) : (int)strlen(base);
    char dir[1024];
    snprintf(dir, sizeof dir, "%.*s", dir_len, path);
    remove_stale(dir, base, stem_len, ext);
    snprintf(f->temp_path, sizeof f->temp_path, "%.*s.%.*s.tmp-%ld-XXXXXX%s", dir_len, path,
             stem_len, base, (long)getpid(), ext);
    /* mkostemps opens with O_CREAT | O_EXCL and picks the six letters at
     * random, retrying on a name that exists. */
    struct live *slot = live_reserve();
    f->fd = mkostemps(f->temp_path, (int)strlen(ext), O_CLOEXEC);
    if (slot && f->fd >= 0)
        snprintf(slot->path, sizeof slot->path, "%s", f->temp_path);
    if (slot)
        slot->state = f->fd >= 0 ? LIVE : FREE;
    if (f->fd < 0)
        return bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "cannot create a file there: %s",
                            strerror(errno));
    fchmod(f->fd, file_mode);
    return BM_OK;
}

/* The directory entry of the rename reaches the disk too. */
static int sync_directory(const char *path)
{
    char dir[1024];
    const char *slash = strrchr(path, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path + (slash == path)) : 1,
             slash ? path : ".");
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

void bm_atomic_file_release(bm_atomic_file *f)
{
    close(f->fd);
    f->fd = -1;
    unlink(f->temp_path); /* the writer creates it again: it stays live */
}

bm_status bm_atomic_file_commit(bm_atomic_file *f, bm_error *err)
{
    const char *step = "writing it to disk failed";
    if (f->fd < 0) /* released: the writer made the file, with the user's mode */
        f->fd = open(f->temp_path, O_RDONLY | O_CLOEXEC);
    int ok = f->fd >= 0 && fsync(f->fd) == 0;
    int e = errno;
    if (f->fd >= 0 && close(f->fd) != 0 && ok)
        ok = 0, e = errno;
    f->fd = -1;
    if (ok && rename(f->temp_path, f->final_path) != 0)
        ok = 0, e = errno, step = "cannot move it into place";
    if (!ok)
        unlink(f->temp_path);
    live_remove(f->temp_path);
    if (!ok) {
        return bm_error_set(err, BM_ERR_RUNTIME, f->final_path, 0, NULL, "%s: %s", step,
                            strerror(e));
    }
    /* The file is whole under its name; a failed directory sync only means
     * a crash right now could bring the old one back. */
    sync_directory(f->final_path);
    return BM_OK;
}

void bm_atomic_file_abort(bm_atomic_file *f)
{
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
    unlink(f->temp_path);
    live_remove(f->temp_path);
}
