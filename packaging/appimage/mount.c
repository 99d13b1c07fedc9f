/* Mounting the image read-only with FUSE (libfuse3's low-level API and squashfuse's
 * low-level operations), served by a background process.
 *
 * The runtime process itself goes on to exec AppRun, so the app keeps the AppImage's process
 * id, signals and exit status. The server is detached from it (its own session, not its
 * child) and watches it through a pidfd: when the app exits the server unmounts lazily, keeps
 * answering whatever still has files open (child processes, mapped libraries), and exits once
 * the kernel releases the file system. */
#define _GNU_SOURCE
#include "runtime.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ll.h>

static bool find_fusermount(char *out, size_t size)
{
	const char *fixed[] = {"/usr/bin/fusermount3", "/bin/fusermount3"};
	for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
		if (access(fixed[i], X_OK) == 0)
			return (size_t)snprintf(out, size, "%s", fixed[i]) < size;
	const char *path = getenv("PATH");
	for (const char *p = path; p && *p;) {
		size_t len = strcspn(p, ":");
		if (len > 0 && (size_t)snprintf(out, size, "%.*s/fusermount3", (int)len, p) < size &&
		    access(out, X_OK) == 0)
			return true;
		p += len + (p[len] == ':');
	}
	return false;
}

bool fuse_usable(char *why, size_t why_size)
{
	char fusermount[4096];
	if (access("/dev/fuse", R_OK | W_OK) != 0) {
		snprintf(why, why_size, "no FUSE (/dev/fuse %s)",
			 errno == ENOENT ? "is missing" : "cannot be opened");
		return false;
	}
	if (geteuid() != 0 && !find_fusermount(fusermount, sizeof fusermount)) {
		snprintf(why, why_size, "no FUSE (fusermount3 is not installed: package fuse3)");
		return false;
	}
	/* fusermount3 mounts without /etc/mtab but refuses to unmount: the mount would outlive
	 * the app. Booted systems have it (a link to /proc/self/mounts); bare chroots may not. */
	if (geteuid() != 0 && access("/etc/mtab", R_OK) != 0) {
		snprintf(why, why_size, "no FUSE (fusermount3 cannot unmount without /etc/mtab)");
		return false;
	}
	return true;
}

static void lazy_unmount(const char *mountpoint)
{
	char fusermount[4096];
	if (geteuid() == 0) {
		umount2(mountpoint, MNT_DETACH);
		return;
	}
	if (!find_fusermount(fusermount, sizeof fusermount))
		return;
	pid_t pid = fork();
	if (pid == 0) {
		execl(fusermount, "fusermount3", "-u", "-z", "-q", "--", mountpoint, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
}

static bool process_gone(pid_t pid)
{
	char path[64], stat[512];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return true;
	size_t n = fread(stat, 1, sizeof stat - 1, f);
	fclose(f);
	stat[n] = '\0';
	const char *state = strrchr(stat, ')'); /* the name in parentheses may hold anything */
	return !state || state[1] != ' ' || state[2] == 'Z' || state[2] == 'X';
}

typedef struct {
	pid_t app;
	int app_fd; /* a pidfd of the app, or -1 on kernels before 5.3 */
	int signal_fd;
	const char *mountpoint;
} watch_args;

static void *watch_app(void *arg)
{
	watch_args *w = arg;
	struct pollfd p[2] = {{.fd = w->signal_fd, .events = POLLIN}, {.fd = w->app_fd, .events = POLLIN}};
	for (;;) {
		int n = poll(p, w->app_fd >= 0 ? 2 : 1, w->app_fd >= 0 ? -1 : 1000);
		if (n > 0 || (n == 0 && process_gone(w->app)))
			break;
	}
	lazy_unmount(w->mountpoint);
	return NULL;
}

static void report(int fd, const char *status, const char *text)
{
	char line[600];
	int n = snprintf(line, sizeof line, "%s %s\n", status, text);
	if (write(fd, line, (size_t)n) < 0)
		_exit(1);
}

static void first_line(int fd, char *out, size_t size)
{
	ssize_t n = read(fd, out, size - 1);
	out[n > 0 ? n : 0] = '\0';
	out[strcspn(out, "\n")] = '\0';
}

static struct fuse_session *start_session(appimage *ai, sqfs_ll *ll, const char *mnt,
					  char *err, size_t err_size)
{
	static struct fuse_lowlevel_ops ops = {
		.lookup = sqfs_ll_op_lookup, .forget = sqfs_ll_op_forget,
		.getattr = sqfs_ll_op_getattr, .readlink = sqfs_ll_op_readlink,
		.open = sqfs_ll_op_open, .read = sqfs_ll_op_read, .release = sqfs_ll_op_release,
		.opendir = sqfs_ll_op_opendir, .readdir = sqfs_ll_op_readdir,
		.releasedir = sqfs_ll_op_releasedir, .statfs = stfs_ll_op_statfs,
		.getxattr = sqfs_ll_op_getxattr, .listxattr = sqfs_ll_op_listxattr,
		.create = sqfs_ll_op_create,
	};
	char opts[256], name[64];
	safe_name(ai->name, name, sizeof name);
	snprintf(opts, sizeof opts, "ro,nodev,nosuid,subtype=appimage,fsname=%s", name);
	char *argv[] = {"appimage", "-o", opts, NULL};
	struct fuse_args args = FUSE_ARGS_INIT(3, argv);
	/* libfuse and fusermount3 explain a failure on stderr: catch it for the one-line reason. */
	int pipe_fds[2], saved = dup(2);
	if (saved < 0 || pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) {
		snprintf(err, err_size, "%s", strerror(errno));
		return NULL;
	}
	dup2(pipe_fds[1], 2);
	struct fuse_session *se = fuse_session_new(&args, &ops, sizeof ops, ll);
	bool mounted = se && fuse_session_mount(se, mnt) == 0;
	dup2(saved, 2);
	close(saved);
	close(pipe_fds[1]);
	first_line(pipe_fds[0], err, err_size);
	close(pipe_fds[0]);
	if (!mounted && se)
		fuse_session_destroy(se);
	if (!mounted && !*err)
		snprintf(err, err_size, "the FUSE mount failed");
	return mounted ? se : NULL;
}

/* squashfuse keeps one decompressed data block and three fragment blocks. Through FUSE the
 * kernel asks for 128 KB at a time, and a program that maps a file (llama.cpp maps the model,
 * ld.so the libraries) asks out of order, so each miss decompresses a whole block again.
 * Measured with 1 MB blocks, 2000 random reads of the mapped starter model: 14.8 s with those
 * caches, 6.8 s with 32 MB ones. The build uses 128 KB blocks (build-appimage.sh), for which a
 * few MB of each kind of block are enough. */
#define CACHE_BYTES (8u << 20)

static sqfs_err grow_caches(sqfs *fs)
{
	size_t blocks = CACHE_BYTES / fs->sb.block_size;
	sqfs_cache_destroy(&fs->data_cache);
	sqfs_cache_destroy(&fs->frag_cache);
	sqfs_err err = sqfs_block_cache_init(&fs->data_cache, blocks);
	return err ? err : sqfs_block_cache_init(&fs->frag_cache, blocks);
}

/* A background server keeps none of the descriptors it inherited (a caller's pipe would stay
 * open until the server ends, long after the app). */
static void close_inherited(int keep1, int keep2)
{
	int fds[256], n = 0;
	DIR *dir = opendir("/proc/self/fd");
	if (!dir)
		return;
	for (struct dirent *e; (e = readdir(dir)) && n < 256;) {
		int fd = atoi(e->d_name);
		if (fd > 2 && fd != dirfd(dir) && fd != keep1 && fd != keep2)
			fds[n++] = fd;
	}
	closedir(dir);
	while (n > 0)
		close(fds[--n]);
}

static void serve(appimage *ai, const char *mnt, pid_t app, int status_fd)
{
	char err[512] = "";
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGQUIT);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	setsid();
	close_inherited(ai->fd, status_fd);
	if (chdir("/") != 0)
		_exit(1);
	int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	dup2(null_fd, 0);
	dup2(null_fd, 1);
	watch_args w = {.app = app, .mountpoint = mnt, .signal_fd = signalfd(-1, &sigs, SFD_CLOEXEC),
			.app_fd = (int)syscall(SYS_pidfd_open, app, 0)};
	sqfs_ll *ll = calloc(1, sizeof *ll);
	if (!ll || sqfs_init(&ll->fs, ai->fd, (size_t)ai->offset) || grow_caches(&ll->fs) ||
	    sqfs_ll_init(ll)) {
		report(status_fd, "error", "cannot read the image");
		_exit(1);
	}
	struct fuse_session *se = start_session(ai, ll, mnt, err, sizeof err);
	if (!se) {
		report(status_fd, "error", err);
		_exit(1);
	}
	report(status_fd, "ok", mnt);
	close(status_fd);
	dup2(null_fd, 2); /* a background server has no terminal to write to */
	pthread_t watcher;
	if (pthread_create(&watcher, NULL, watch_app, &w) != 0)
		lazy_unmount(mnt); /* cannot watch: unmount now, serve what is open, then go */
	fuse_session_loop(se); /* ends when the kernel releases the unmounted file system */
	fuse_session_unmount(se); /* only does something when the loop ended for another reason */
	fuse_session_destroy(se);
	rmdir(mnt);
	_exit(0);
}

int mount_image(appimage *ai, const char *mountpoint, char *why, size_t why_size)
{
	int status[2];
	pid_t app = getpid();
	if (pipe2(status, O_CLOEXEC) != 0) {
		snprintf(why, why_size, "%s", strerror(errno));
		return -1;
	}
	pid_t first = fork();
	if (first == 0) { /* fork twice, so that the server is nobody's child once we exec */
		close(status[0]);
		if (fork() == 0)
			serve(ai, mountpoint, app, status[1]);
		_exit(0);
	}
	close(status[1]);
	if (first < 0) {
		snprintf(why, why_size, "cannot start the FUSE server: %s", strerror(errno));
		close(status[0]);
		return -1;
	}
	while (waitpid(first, NULL, 0) < 0 && errno == EINTR)
		;
	char line[600];
	size_t got = 0;
	while (got < sizeof line - 1 && !memchr(line, '\n', got)) {
		ssize_t n = read(status[0], line + got, sizeof line - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break; /* the server is gone without a word */
		got += (size_t)n;
	}
	close(status[0]);
	line[got] = '\0';
	line[strcspn(line, "\n")] = '\0';
	if (strncmp(line, "ok ", 3) == 0)
		return 0;
	snprintf(why, why_size, "%s", strncmp(line, "error ", 6) == 0 ? line + 6
						: "the FUSE server stopped before mounting");
	return -1;
}
