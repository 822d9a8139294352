/*
 * test_atomic_file.c — temporary files: created exclusively under names
 * no one can predict, in the target's folder, with its extension; commit
 * moves the whole file into place, abort leaves the target as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "atomic_file.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/bm-atomic-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

static void read_file(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
}

static void test_names_are_fresh_and_exclusive(void **state)
{
    (void)state;
    char target[128];
    snprintf(target, sizeof target, "%s/map.geojson", dir);
    bm_atomic_file a, b;
    bm_error err;
    assert_int_equal(bm_atomic_file_begin(&a, target, &err), BM_OK);
    assert_int_equal(bm_atomic_file_begin(&b, target, &err), BM_OK);
    assert_string_not_equal(a.temp_path, b.temp_path);
    struct stat st;
    assert_int_equal(lstat(a.temp_path, &st), 0); /* created at once, a plain file */
    assert_true(S_ISREG(st.st_mode));
    mode_t mask = umask(022);
    umask(mask);
    assert_int_equal(st.st_mode & 0777, 0666 & ~mask); /* as any new file of the user */
    assert_non_null(strstr(a.temp_path, "/.map.tmp-"));
    assert_string_equal(a.temp_path + strlen(a.temp_path) - 8, ".geojson");
    bm_atomic_file_abort(&a);
    bm_atomic_file_abort(&b);
    assert_int_not_equal(access(a.temp_path, F_OK), 0);
}

static void test_commit_and_abort(void **state)
{
    (void)state;
    char target[128], text[64];
    snprintf(target, sizeof target, "%s/out.txt", dir);
    FILE *old = fopen(target, "w");
    fputs("old", old);
    fclose(old);
    bm_atomic_file f;
    bm_error err;
    assert_int_equal(bm_atomic_file_begin(&f, target, &err), BM_OK);
    assert_int_equal(write(f.fd, "new", 3), 3);
    bm_atomic_file_abort(&f);
    read_file(target, text, sizeof text);
    assert_string_equal(text, "old");
    assert_int_equal(bm_atomic_file_begin(&f, target, &err), BM_OK);
    assert_int_equal(write(f.fd, "new", 3), 3);
    assert_int_equal(bm_atomic_file_commit(&f, &err), BM_OK);
    read_file(target, text, sizeof text);
    assert_string_equal(text, "new");
}

static void test_errors(void **state)
{
    (void)state;
    char target[2048];
    bm_atomic_file f;
    bm_error err;
    memset(target, 'a', sizeof target - 1);
    target[sizeof target - 1] = '\0';
    assert_int_equal(bm_atomic_file_begin(&f, target, &err), BM_ERR_USAGE); /* never cut */
    assert_non_null(strstr(err.message, "too long"));
    snprintf(target, sizeof target, "%s/no-such-folder/x.png", dir);
    assert_int_equal(bm_atomic_file_begin(&f, target, &err), BM_ERR_RUNTIME);
    assert_non_null(strstr(err.message, "No such file or directory"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_are_fresh_and_exclusive),
        cmocka_unit_test(test_commit_and_abort),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
