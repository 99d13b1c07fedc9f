/* Extracting the image to a folder (--appimage-extract, and extract-and-run without FUSE),
 * walking it with squashfuse's traverse API.
 *
 * The image is untrusted input: names are checked, nothing is written through a symbolic
 * link, folders are never nested deeper than MAX_DEPTH, and set-id bits are dropped. */
#define _GNU_SOURCE
#include "runtime.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DEPTH 256
#define CHUNK (1u << 20)

typedef struct {
	appimage *ai;
	const char *dest, *pattern;
	extract_stats *st;
	char path[PATH_MAX]; /* dest/<path in the image> of the current entry */
	char *buf;
	/* Folders made at each depth, with the mode and time they get once their contents are
	 * written (they stay writable until then). */
	bool made[MAX_DEPTH + 1];
	mode_t mode[MAX_DEPTH + 1];
	time_t mtime[MAX_DEPTH + 1];
} extractor;

static int damaged(const char *what)
{
	char shown[256]; /* names from a damaged image may hold anything, terminal escapes too */
	size_t i = 0;
	for (; what[i] && i + 1 < sizeof shown; i++)
		shown[i] = what[i] >= 0x20 && what[i] < 0x7f ? what[i] : '?';
	shown[i] = '\0';
	say("the image is damaged: cannot read %s; download the AppImage again", shown);
	return -1;
}

static int write_failed(const char *path)
{
	int e = errno;
	say("cannot write %s: %s%s", path, strerror(e),
	    e == ENOSPC || e == EDQUOT ? " (the app needs about 1.3 GB there; set TMPDIR to a "
					   "folder with more room)" : "");
	return -1;
}

static int make_dir(const char *path, mode_t mode)
{
	struct stat st;
	if (mkdir(path, mode) == 0)
		return 0;
	if (errno != EEXIST)
		return write_failed(path);
	if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		say("cannot extract to %s: something that is not a folder is in the way", path);
		return -1;
	}
	return 0;
}

/* A file or link replaces whatever non-folder is at its place (extracting again over an old
 * squashfs-root); a folder in the way is an error rather than something to delete. */
static int clear_place(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : write_failed(path);
	if (S_ISDIR(st.st_mode)) {
		say("cannot extract %s: a folder of that name is in the way", path);
		return -1;
	}
	return unlink(path) == 0 ? 0 : write_failed(path);
}

/* With a pattern, a matching entry's folders may not have been extracted: make them. */
static int make_parents(extractor *x)
{
	for (char *p = x->path + strlen(x->dest) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		int rc = make_dir(x->path, 0755);
		*p = '/';
		if (rc)
			return -1;
	}
	return 0;
}

static void set_time(const char *path, time_t mtime)
{
	struct timespec ts[2] = {{mtime, 0}, {mtime, 0}};
	utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW); /* a time is not worth failing for */
}

static bool write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

static int write_file(extractor *x, sqfs_inode *inode, const char *name)
{
	if (clear_place(x->path))
		return -1;
	int fd = open(x->path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return write_failed(x->path);
	uint64_t size = inode->xtra.reg.file_size, done = 0;
	int rc = 0;
	if (size > x->ai->image_size * 64 + (64u << 20)) { /* a damaged size must not fill the disk */
		close(fd);
		unlink(x->path);
		return damaged(name);
	}
	while (rc == 0 && done < size) {
		sqfs_off_t n = (sqfs_off_t)(size - done < CHUNK ? size - done : CHUNK);
		if (sqfs_read_range(&x->ai->fs, inode, (sqfs_off_t)done, &n, x->buf) || n <= 0)
			rc = damaged(name);
		else if (!write_all(fd, x->buf, (size_t)n))
			rc = write_failed(x->path);
		else
			done += (uint64_t)n;
	}
	if (rc == 0 && fchmod(fd, inode->base.mode & 0777) != 0)
		rc = write_failed(x->path);
	if (close(fd) != 0 && rc == 0)
		rc = write_failed(x->path);
	if (rc) {
		unlink(x->path);
		return -1;
	}
	set_time(x->path, inode->base.mtime);
	x->st->files++;
	x->st->bytes += size;
	return 0;
}

static int write_link(extractor *x, sqfs_inode *inode, const char *name)
{
	size_t size = 0;
	if (sqfs_readlink(&x->ai->fs, inode, NULL, &size) || size == 0 || size >= PATH_MAX)
		return damaged(name);
	char target[PATH_MAX + 1];
	if (sqfs_readlink(&x->ai->fs, inode, target, &size))
		return damaged(name);
	target[size] = '\0';
	if (clear_place(x->path))
		return -1;
	if (symlink(target, x->path) != 0)
		return write_failed(x->path);
	set_time(x->path, inode->base.mtime);
	x->st->links++;
	return 0;
}

static int extract_entry(extractor *x, sqfs_traverse *trv, int depth)
{
	sqfs_inode inode;
	if (sqfs_inode_get(&x->ai->fs, &inode, sqfs_dentry_inode(&trv->entry)) ||
	    sqfs_dentry_is_dir(&trv->entry) != S_ISDIR(inode.base.mode))
		return damaged(trv->path);
	if (x->pattern && make_parents(x))
		return -1;
	switch (inode.base.mode & S_IFMT) {
	case S_IFDIR:
		if (make_dir(x->path, 0700))
			return -1;
		x->made[depth] = true;
		x->mode[depth] = (inode.base.mode & 0777) | S_IRWXU;
		x->mtime[depth] = inode.base.mtime;
		x->st->dirs++;
		return 0;
	case S_IFREG:
		return write_file(x, &inode, trv->path);
	case S_IFLNK:
		return write_link(x, &inode, trv->path);
	default: /* devices, sockets, pipes: an app image has no business holding them */
		x->st->skipped++;
		return 0;
	}
}

static bool name_ok(sqfs_dir_entry *entry)
{
	const char *name = sqfs_dentry_name(entry);
	size_t len = sqfs_dentry_name_size(entry);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return false; /* no real file name has control characters */
	return len > 0 && strlen(name) == len && !strchr(name, '/') && strcmp(name, ".") != 0 &&
	       strcmp(name, "..") != 0;
}

static int walk(extractor *x, sqfs_traverse *trv)
{
	sqfs_err err = SQFS_OK;
	int depth = 0;
	while (sqfs_traverse_next(trv, &err)) {
		if (!trv->dir_end && !name_ok(&trv->entry))
			return damaged("a file name");
		if ((size_t)snprintf(x->path, sizeof x->path, "%s/%s", x->dest, trv->path) >=
		    sizeof x->path) {
			say("cannot extract %s: the path is too long", trv->path);
			return -1;
		}
		if (trv->dir_end) { /* a folder's contents are done: give it its mode and time */
			if (x->made[depth] && chmod(x->path, x->mode[depth]) != 0)
				return write_failed(x->path);
			if (x->made[depth])
				set_time(x->path, x->mtime[depth]);
			depth--;
			continue;
		}
		bool is_dir = sqfs_dentry_is_dir(&trv->entry);
		if (is_dir && ++depth > MAX_DEPTH)
			return damaged("its folders (nested too deep)");
		if (is_dir)
			x->made[depth] = false;
		if (x->pattern && fnmatch(x->pattern, trv->path, 0) != 0)
			continue;
		if (extract_entry(x, trv, depth))
			return -1;
	}
	return err ? damaged("a folder listing") : 0;
}

int extract_image(appimage *ai, const char *dest, const char *pattern, extract_stats *st)
{
	extractor *x = calloc(1, sizeof *x);
	sqfs_traverse trv;
	int rc = -1;
	memset(st, 0, sizeof *st);
	if (!x || !(x->buf = malloc(CHUNK))) {
		say("out of memory");
		goto out;
	}
	x->ai = ai;
	x->dest = dest;
	x->pattern = pattern;
	x->st = st;
	if (make_dir(dest, 0700))
		goto out;
	if (sqfs_traverse_open(&trv, &ai->fs, sqfs_inode_root(&ai->fs))) {
		damaged("its root folder");
		goto out;
	}
	rc = walk(x, &trv);
	sqfs_traverse_close(&trv);
out:
	if (x)
		free(x->buf);
	free(x);
	return rc;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path);
	return unlink(path);
}

int remove_tree(const char *path)
{
	return nftw(path, remove_one, 32, FTW_DEPTH | FTW_PHYS);
}
