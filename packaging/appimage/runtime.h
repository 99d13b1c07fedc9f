/* Offline Assistant's AppImage type-2 runtime: declarations shared by its source files.
 *
 * The runtime is the ELF program at the start of an AppImage; the squashfs image of the
 * AppDir follows it. Written for this project on Debian's libsquashfuse (squashfs reading)
 * and libfuse3 (mounting), so that the AppImage is built from Debian's packages alone. */
#ifndef OA_APPIMAGE_RUNTIME_H
#define OA_APPIMAGE_RUNTIME_H

/* First: squashfuse's config.h defines _POSIX_C_SOURCE, which must come before any system
 * header (they then widen it for _GNU_SOURCE instead of clashing with it). */
#include <squashfuse.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct {
	char *path;       /* absolute path of the AppImage file (becomes $APPIMAGE) */
	const char *name; /* its file name, for messages */
	int fd;           /* open read-only, close-on-exec */
	off_t offset;     /* where the squashfs image starts: the end of the runtime ELF */
	off_t file_size;
	uint64_t image_size;   /* the image's own length (its superblock's bytes_used) */
	uint64_t tables_start; /* where its metadata tables start (the inode table) */
	/* Recorded by the build in the runtime's CHECK_SECTION (see image.c), when it did. */
	bool has_check;
	uint64_t check_length;
	uint32_t check_all, check_tables;
	sqfs fs;          /* the opened image, when fs_open */
	bool fs_open;
} appimage;

/* runtime.c: one-line messages on stderr, prefixed with the AppImage's file name. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The AppImage's file name with anything but letters, digits, '.', '-' and '_' replaced. */
void safe_name(const char *name, char *out, size_t size);

/* elf.c */
bool read_at(int fd, void *buf, size_t len, off_t at);
int elf_end_offset(int fd, off_t file_size, off_t *offset, const char **why);
int elf_find_section(int fd, off_t file_size, const char *want, off_t *at, uint64_t *size);

/* image.c */
int image_open(appimage *ai, const char *path);
int image_verify(appimage *ai);
uint64_t image_fingerprint(appimage *ai);
int image_check_apprun(appimage *ai);
void image_close(appimage *ai);

/* extract.c */
typedef struct {
	unsigned long files, dirs, links, skipped;
	unsigned long long bytes;
} extract_stats;
int extract_image(appimage *ai, const char *dest, const char *pattern, extract_stats *st);
int remove_tree(const char *path);

/* mount.c */
bool fuse_usable(char *why, size_t why_size);
int mount_image(appimage *ai, const char *mountpoint, char *why, size_t why_size);

#endif
