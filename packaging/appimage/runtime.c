/* Offline Assistant's AppImage type-2 runtime: main program.
 *
 * Behaviour (AppImage specification, type 2): find the squashfs image that follows this ELF
 * file, mount it read-only with FUSE at a private temporary folder and exec its AppRun with
 * the user's arguments and APPIMAGE, APPDIR, ARGV0 and OWD set; without FUSE, extract it once
 * to a folder under $TMPDIR and run it from there. Options for the runtime itself start with
 * --appimage- (see usage()). */
#define _GNU_SOURCE
#include "runtime.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef RUNTIME_VERSION
#define RUNTIME_VERSION "dev"
#endif

/* The sections the type-2 format reserves for update information and a signature: present
 * and zero-filled (that is, none), so that tools that read or fill them find them. */
__attribute__((section(".upd_info"), used)) static char update_info[1024];
__attribute__((section(".sha256_sig"), used)) static char signature[1024];
/* Where the build records the image's checksums (image.c reads them from the file). */
__attribute__((section(".oa_image_check"), used)) static char image_check[24];

static const char *prog = "AppImage";

void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void safe_name(const char *name, char *out, size_t size)
{
	size_t i = 0;
	for (; name[i] && i + 1 < size; i++) {
		char c = name[i];
		bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
		out[i] = plain ? c : '_';
	}
	out[i] = '\0';
}

/* squashfuse trusts the image's tables; should a damaged one still make it fault, say what
 * happened in one line instead of dumping core. */
static void on_fault(int sig)
{
	static const char text[] = ": crashed while reading the image, which is probably damaged;"
				   " download the AppImage again\n";
	(void)sig;
	if (write(2, prog, strlen(prog)) < 0 || write(2, text, sizeof text - 1) < 0)
		_exit(1);
	_exit(1);
}

static int usage(void)
{
	printf("%s: an AppImage (Offline Assistant's type-2 runtime %s).\n"
	       "Run it to start the app; arguments go to the app, except these:\n"
	       "  --appimage-help                this text\n"
	       "  --appimage-version             the runtime's version\n"
	       "  --appimage-offset              where the squashfs image starts in the file\n"
	       "  --appimage-check               check the whole image against its checksum\n"
	       "  --appimage-extract [PATTERN]   extract the image (or the paths matching the shell\n"
	       "                                 PATTERN) to ./squashfs-root\n"
	       "  --appimage-extract-and-run ... extract to $TMPDIR (once per build) and run from\n"
	       "                                 there, without FUSE\n"
	       "  --appimage-mount               mount the image, print where, keep it until Ctrl-C\n"
	       "Environment: APPIMAGE_EXTRACT_AND_RUN=1 (as --appimage-extract-and-run),\n"
	       "TARGET_APPIMAGE=FILE (use that file's image), TMPDIR.\n"
	       "FUSE needs /dev/fuse and fusermount3 (package fuse3); without them the runtime\n"
	       "extracts and runs by itself.\n", prog, RUNTIME_VERSION);
	return 0;
}

static int run_app(appimage *ai, const char *appdir, int argc, char **argv, const char *argv0)
{
	char apprun[PATH_MAX], owd[PATH_MAX];
	if ((size_t)snprintf(apprun, sizeof apprun, "%s/AppRun", appdir) >= sizeof apprun) {
		say("the path %s is too long", appdir);
		return 1;
	}
	char **args = calloc((size_t)argc + 2, sizeof *args);
	if (!args) {
		say("out of memory");
		return 1;
	}
	args[0] = apprun;
	memcpy(args + 1, argv, (size_t)argc * sizeof *argv);
	setenv("APPIMAGE", ai->path, 1);
	setenv("APPDIR", appdir, 1);
	setenv("ARGV0", argv0, 1);
	if (getcwd(owd, sizeof owd))
		setenv("OWD", owd, 1);
	execv(apprun, args);
	say("cannot start %s: %s", apprun, strerror(errno));
	free(args);
	return 127;
}

/* 1: a finished extraction of ours; 0: none; -1: something else is at that place. */
static int check_cache(const char *dir)
{
	struct stat st;
	char apprun[PATH_MAX];
	if (lstat(dir, &st) != 0)
		return 0;
	snprintf(apprun, sizeof apprun, "%s/AppRun", dir);
	if (!S_ISDIR(st.st_mode) || st.st_uid != getuid() || (st.st_mode & 077) ||
	    lstat(apprun, &st) != 0) {
		say("%s exists but is not a private folder of yours extracted from this AppImage: "
		    "remove it, or set TMPDIR to another folder", dir);
		return -1;
	}
	return 1;
}

/* Extracts into a fresh folder and renames it into place when complete, so that an
 * interrupted or concurrent run never leaves a half-extracted folder under the final name. */
static int extract_to_cache(appimage *ai, const char *dir)
{
	char work[PATH_MAX + 8];
	extract_stats st;
	snprintf(work, sizeof work, "%s.XXXXXX", dir);
	if (!mkdtemp(work)) {
		say("cannot create a folder next to %s: %s", dir, strerror(errno));
		return -1;
	}
	if (extract_image(ai, work, NULL, &st) != 0 || chmod(work, 0700) != 0) {
		remove_tree(work);
		return -1;
	}
	if (rename(work, dir) == 0)
		return 0;
	int e = errno;
	remove_tree(work);
	if ((e == EEXIST || e == ENOTEMPTY) && check_cache(dir) == 1)
		return 0; /* another run of the same AppImage finished first */
	say("cannot rename %s to %s: %s", work, dir, strerror(e));
	return -1;
}

static int extract_and_run(appimage *ai, int argc, char **argv, const char *argv0,
			   const char *reason)
{
	const char *tmp = getenv("TMPDIR");
	char dir[PATH_MAX], name[64];
	safe_name(ai->name, name, sizeof name);
	if (!tmp || !*tmp)
		tmp = "/tmp";
	if ((size_t)snprintf(dir, sizeof dir, "%s/appimage-%u-%s-%016llx", tmp, (unsigned)getuid(),
			     name, (unsigned long long)image_fingerprint(ai)) >= sizeof dir - 16) {
		say("TMPDIR is too long");
		return 1;
	}
	int cached = check_cache(dir);
	if (cached < 0)
		return 1;
	if (reason)
		say("%s: %s %s", reason, cached ? "running the copy extracted in" : "extracting to",
		    dir);
	if (!cached && (image_verify(ai) != 0 || extract_to_cache(ai, dir) != 0))
		return 1;
	return run_app(ai, dir, argc, argv, argv0);
}

static int make_mountpoint(appimage *ai, char *out, size_t size)
{
	const char *tmp = getenv("TMPDIR");
	char name[32];
	safe_name(ai->name, name, sizeof name);
	snprintf(out, size, "%s/.mount_%s.XXXXXX", tmp && *tmp ? tmp : "/tmp", name);
	if (mkdtemp(out)) /* mode 0700: the mounted app is the user's alone */
		return 0;
	say("cannot create a mount point in %s: %s", tmp && *tmp ? tmp : "/tmp", strerror(errno));
	return -1;
}

static int extract_here(appimage *ai, const char *pattern)
{
	extract_stats st;
	if (image_verify(ai) != 0 || extract_image(ai, "squashfs-root", pattern, &st) != 0)
		return 1;
	if (!pattern)
		chmod("squashfs-root", 0755);
	if (pattern && st.files + st.dirs + st.links == 0) {
		say("nothing in the image matches %s", pattern);
		return 1;
	}
	printf("squashfs-root: %lu files (%.1f MB), %lu folders, %lu links", st.files,
	       st.bytes / 1e6, st.dirs, st.links);
	if (st.skipped)
		printf(", %lu special files skipped", st.skipped);
	printf("\n");
	return 0;
}

static int mount_and_wait(appimage *ai)
{
	char mnt[PATH_MAX], why[600];
	if (!fuse_usable(why, sizeof why)) {
		say("cannot mount: %s", why);
		return 1;
	}
	if (make_mountpoint(ai, mnt, sizeof mnt) != 0)
		return 1;
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	if (mount_image(ai, mnt, why, sizeof why) != 0) {
		rmdir(mnt);
		say("cannot mount: %s", why);
		return 1;
	}
	printf("%s\n", mnt);
	fflush(stdout);
	int sig;
	sigwait(&sigs, &sig); /* the server unmounts when this process is gone */
	return 0;
}

static int run_runtime_option(appimage *ai, const char *opt, int argc, char **argv)
{
	if (strcmp(opt, "offset") == 0) {
		printf("%lld\n", (long long)ai->offset);
		return 0;
	}
	if (strcmp(opt, "check") == 0) {
		if (image_verify(ai) != 0)
			return 1;
		if (ai->has_check)
			printf("%s: the image matches its checksum (CRC-32 %08x, %llu bytes)\n", ai->name,
			       ai->check_all, (unsigned long long)ai->check_length);
		else
			printf("%s: no checksum was recorded in this AppImage; its tables read fine\n",
			       ai->name);
		return 0;
	}
	if (strcmp(opt, "extract") == 0)
		return extract_here(ai, argc > 2 ? argv[2] : NULL);
	if (strcmp(opt, "mount") == 0)
		return mount_and_wait(ai);
	if (strcmp(opt, "extract-and-run") == 0)
		return image_check_apprun(ai) ? 1 : extract_and_run(ai, argc - 2, argv + 2, argv[0], NULL);
	say("unknown option --appimage-%s (--appimage-help lists the runtime's options)", opt);
	return 1;
}

int main(int argc, char **argv)
{
	const char *opt = argc > 1 && strncmp(argv[1], "--appimage-", 11) == 0 ? argv[1] + 11 : NULL;
	const char *target = getenv("TARGET_APPIMAGE");
	const char *shown = target && *target ? target : argv[0];
	const char *slash = shown ? strrchr(shown, '/') : NULL;
	prog = slash ? slash + 1 : shown ? shown : prog;
	if (opt && strcmp(opt, "help") == 0)
		return usage();
	if (opt && strcmp(opt, "version") == 0) {
		printf("%s\n", RUNTIME_VERSION);
		return 0;
	}
	signal(SIGSEGV, on_fault);
	signal(SIGBUS, on_fault);
	appimage ai;
	if (image_open(&ai, target && *target ? target : "/proc/self/exe") != 0)
		return 1;
	prog = ai.name;
	if (opt)
		return run_runtime_option(&ai, opt, argc, argv);
	if (image_check_apprun(&ai) != 0)
		return 1;
	const char *ear = getenv("APPIMAGE_EXTRACT_AND_RUN");
	if (ear && strcmp(ear, "1") == 0)
		return extract_and_run(&ai, argc - 1, argv + 1, argv[0], NULL);
	char mnt[PATH_MAX], why[600];
	if (!fuse_usable(why, sizeof why))
		return extract_and_run(&ai, argc - 1, argv + 1, argv[0], why);
	if (make_mountpoint(&ai, mnt, sizeof mnt) != 0)
		return 1;
	if (mount_image(&ai, mnt, why, sizeof why) != 0) {
		rmdir(mnt);
		char reason[700];
		snprintf(reason, sizeof reason, "FUSE mount failed (%s)", why);
		return extract_and_run(&ai, argc - 1, argv + 1, argv[0], reason);
	}
	return run_app(&ai, mnt, argc - 1, argv + 1, argv[0]);
}
