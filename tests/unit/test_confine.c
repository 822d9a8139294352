/*
 * test_confine.c — which paths a style or jobs file may name: inside the
 * allowed folders after realpath (links and ".." resolved), never a /vsi
 * path or URL; outputs relative, without "..", never cut; folders made
 * only below the root; a signal removes live temporaries.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "atomic_file.h"
#include "confine.h"

static char dir[64];

static void touch(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("{}", f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    char path[256];
    snprintf(dir, sizeof dir, "/tmp/bm-confine-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/style", dir);
    mkdir(path, 0777);
    snprintf(path, sizeof path, "%s/other", dir);
    mkdir(path, 0777);
    touch("style/s.json");
    touch("style/own.geojson");
    touch("other/secret.geojson");
    char target[256];
    snprintf(target, sizeof target, "%s/other/secret.geojson", dir);
    snprintf(path, sizeof path, "%s/style/link.geojson", dir);
    return symlink(target, path);
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

/* The status of checking dir/name as named by dir/style/s.json. */
static bm_status check(const bm_confine *c, const char *name, bm_error *err)
{
    char path[256], style[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(style, sizeof style, "%s/style/s.json", dir);
    bm_error_clear(err);
    return bm_confine_check(c, path, style, "sources.x.data", err);
}

static void test_inside_the_style_folder_only(void **state)
{
    (void)state;
    bm_error err;
    bm_confine *c = bm_confine_create(&err);
    assert_non_null(c);
    assert_int_equal(check(c, "style/own.geojson", &err), BM_OK);
    assert_int_equal(check(c, "style/../other/secret.geojson", &err), BM_ERR_USAGE);
    assert_string_equal(err.field, "sources.x.data");
    assert_non_null(strstr(err.message, "is outside the folders"));
    assert_int_equal(check(c, "style/link.geojson", &err), BM_ERR_USAGE);
    assert_int_equal(check(c, "style/missing.geojson", &err), BM_ERR_RUNTIME);
    char other[256];
    snprintf(other, sizeof other, "%s/other", dir);
    assert_int_equal(bm_confine_allow(c, other, "--allow-path", &err), BM_OK);
    assert_int_equal(check(c, "style/link.geojson", &err), BM_OK);
    assert_int_equal(bm_confine_allow(c, "/no/such/dir", "--allow-path", &err), BM_ERR_USAGE);
    bm_confine_free(c);
}

static void test_virtual_paths_refused(void **state)
{
    (void)state;
    bm_error err;
    bm_error_clear(&err);
    static const char *bad[] = {"/vsicurl/http://x/a.geojson", "/vsizip//tmp/a.zip/b.shp",
                                "/vsimem/a", "https://example.org/a.geojson"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(bm_confine_check(NULL, bad[i], "s.json", "f", &err), BM_ERR_USAGE);
        assert_non_null(strstr(err.message, "GDAL virtual file systems and URLs are refused"));
    }
}

static void test_outputs_relative_without_climbing(void **state)
{
    (void)state;
    bm_error err;
    bm_error_clear(&err);
    char out[32];
    assert_int_equal(bm_confine_output("root", "a/b.png", out, sizeof out, "j", "o", &err), BM_OK);
    assert_string_equal(out, "root/a/b.png");
    assert_int_equal(bm_confine_output("root", "a..b/c..png", out, sizeof out, "j", "o", &err),
                     BM_OK);
    static const char *bad[] = {"/abs.png", "../x.png", "a/../../x.png", "a/..", "",
                                "/vsimem/x.png"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(bm_confine_output("root", bad[i], out, sizeof out, "j", "o", &err),
                         BM_ERR_USAGE);
    assert_int_equal(bm_confine_output("root", "a-name-too-long-for-32-bytes.png", out,
                                       sizeof out, "j", "o", &err),
                     BM_ERR_USAGE);
    assert_non_null(strstr(err.message, "too long"));
}

static void test_folders_made_below_the_root_only(void **state)
{
    (void)state;
    bm_error err;
    bm_error_clear(&err);
    char root[128], path[256], link[256], other[256];
    snprintf(root, sizeof root, "%s/root", dir);
    mkdir(root, 0777);
    snprintf(path, sizeof path, "%s/a/b/c.png", root);
    assert_int_equal(bm_confine_make_dirs(root, path, &err), BM_OK);
    snprintf(path, sizeof path, "%s/a/b", root);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    snprintf(link, sizeof link, "%s/out", root);
    snprintf(other, sizeof other, "%s/other", dir);
    assert_int_equal(symlink(other, link), 0);
    snprintf(path, sizeof path, "%s/out/sub/c.png", root);
    assert_int_equal(bm_confine_make_dirs(root, path, &err), BM_ERR_USAGE);
    snprintf(path, sizeof path, "%s/other/sub", dir);
    assert_int_not_equal(stat(path, &st), 0);
}

static void test_signal_removes_live_temporaries(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/map.png", dir);
    pid_t pid = fork();
    if (pid == 0) {
        bm_error err;
        bm_atomic_file f;
        bm_atomic_file_clean_on_signals();
        if (bm_atomic_file_begin(&f, path, &err) != BM_OK)
            _exit(3);
        raise(SIGTERM);
        _exit(4);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ls -a %s | grep -q 'map.tmp-'", dir);
    assert_int_not_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inside_the_style_folder_only),
        cmocka_unit_test(test_virtual_paths_refused),
        cmocka_unit_test(test_outputs_relative_without_climbing),
        cmocka_unit_test(test_folders_made_below_the_root_only),
        cmocka_unit_test(test_signal_removes_live_temporaries),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
