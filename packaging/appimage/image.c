/* Finding and checking the squashfs image that follows the runtime.
 *
 * Every check here exists so that a damaged or incomplete download is reported as such in one
 * line, before anything is mounted or extracted, instead of failing later inside the app or
 * inside squashfuse, which trusts the image's tables (a damaged directory entry can overrun
 * its buffers). Squashfs has no checksums of its own, so the build records two CRC-32s in the
 * runtime's CHECK_SECTION: one of the tables (checked at every start: a few hundred KB) and
 * one of the whole image (checked before extracting it, and by --appimage-check). */
#define _GNU_SOURCE
#include "runtime.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* Filled in by packaging/appimage/assemble.py: "OAIMGCK1", the image length (u64), the
 * CRC-32 of the whole image and the CRC-32 of its superblock then its tables (u32 each),
 * little-endian. All zero when the runtime is used without it: nothing is checked then. */
#define CHECK_SECTION ".oa_image_check"
#define CHECK_MAGIC "OAIMGCK1"

static bool table_inside(uint64_t start, uint64_t image_size)
{
	return start >= sizeof(struct squashfs_super_block) && start < image_size;
}

/* Checks of the superblock that squashfuse does not make, so that "truncated" and "damaged"
 * can be told apart and nothing points outside the file. */
static int check_superblock(appimage *ai)
{
	struct squashfs_super_block sb;
	off_t room = ai->file_size - ai->offset;
	if (room < (off_t)sizeof sb || !read_at(ai->fd, &sb, sizeof sb, ai->offset)) {
		say("the file is truncated: it ends %lld bytes after the runtime, before the image's "
		    "header; download it again", (long long)room);
		return -1;
	}
	if (le32toh(sb.s_magic) != SQUASHFS_MAGIC) {
		say("no squashfs image at byte %lld: the file is damaged or not an AppImage",
		    (long long)ai->offset);
		return -1;
	}
	if (le16toh(sb.s_major) != SQUASHFS_MAJOR) {
		say("the image is squashfs %u.%u; this runtime reads 4.0", le16toh(sb.s_major),
		    le16toh(sb.s_minor));
		return -1;
	}
	ai->image_size = le64toh(sb.bytes_used);
	if (ai->image_size > (uint64_t)room) {
		say("the file is truncated: its image needs %llu bytes after byte %lld, the file has "
		    "%lld; download it again", (unsigned long long)ai->image_size,
		    (long long)ai->offset, (long long)room);
		return -1;
	}
	uint32_t block = le32toh(sb.block_size);
	bool tables_ok = table_inside(le64toh(sb.inode_table_start), ai->image_size) &&
		table_inside(le64toh(sb.directory_table_start), ai->image_size) &&
		table_inside(le64toh(sb.id_table_start), ai->image_size) &&
		le64toh(sb.inode_table_start) < le64toh(sb.directory_table_start) &&
		(le32toh(sb.fragments) == 0 ||
		 table_inside(le64toh(sb.fragment_table_start), ai->image_size));
	if (!tables_ok || block < 4096 || block > (1u << 20) || (block & (block - 1)) ||
	    (1u << le16toh(sb.block_log)) != block) {
		say("the image's superblock is damaged; download the AppImage again");
		return -1;
	}
	ai->tables_start = le64toh(sb.inode_table_start);
	return 0;
}

static void read_check_section(appimage *ai)
{
	off_t at;
	uint64_t size;
	unsigned char rec[24];
	if (elf_find_section(ai->fd, ai->file_size, CHECK_SECTION, &at, &size) != 0 ||
	    size < sizeof rec || !read_at(ai->fd, rec, sizeof rec, at) ||
	    memcmp(rec, CHECK_MAGIC, 8) != 0)
		return;
	uint64_t length;
	uint32_t all, tables;
	memcpy(&length, rec + 8, 8);
	memcpy(&all, rec + 16, 4);
	memcpy(&tables, rec + 20, 4);
	ai->has_check = true;
	ai->check_length = le64toh(length);
	ai->check_all = le32toh(all);
	ai->check_tables = le32toh(tables);
}

static bool crc_range(int fd, off_t at, uint64_t len, uLong *crc)
{
	static unsigned char buf[1 << 20];
	while (len > 0) {
		size_t n = len < sizeof buf ? (size_t)len : sizeof buf;
		if (!read_at(fd, buf, n, at))
			return false;
		*crc = crc32(*crc, buf, (uInt)n);
		at += (off_t)n;
		len -= n;
	}
	return true;
}

/* The superblock and the tables after the data (mksquashfs writes every table after the
 * inode table's start): what squashfuse parses. */
static int check_tables(appimage *ai)
{
	uLong crc = crc32(0L, Z_NULL, 0);
	if (!ai->has_check)
		return 0;
	if (ai->check_length > (uint64_t)(ai->file_size - ai->offset)) {
		say("the file is truncated: its image has %llu bytes of the %llu it was built with; "
		    "download it again", (unsigned long long)(ai->file_size - ai->offset),
		    (unsigned long long)ai->check_length);
		return -1;
	}
	if (!crc_range(ai->fd, ai->offset, sizeof(struct squashfs_super_block), &crc) ||
	    !crc_range(ai->fd, ai->offset + (off_t)ai->tables_start,
		       ai->image_size - ai->tables_start, &crc) ||
	    crc != ai->check_tables) {
		say("the image is damaged: its tables differ from the checksum recorded when it was "
		    "built; download the AppImage again");
		return -1;
	}
	return 0;
}

/* The whole image against its recorded CRC-32 (about a second for 500 MB). */
int image_verify(appimage *ai)
{
	uLong crc = crc32(0L, Z_NULL, 0);
	if (!ai->has_check)
		return 0;
	if (!crc_range(ai->fd, ai->offset, ai->check_length, &crc) || crc != ai->check_all) {
		say("the image is damaged: its checksum differs from the one recorded when it was "
		    "built; download the AppImage again");
		return -1;
	}
	return 0;
}

static const char *compression_name(int type)
{
	const char *names[] = {"?", "gzip", "lzma", "lzo", "xz", "lz4", "zstd"};
	return type > 0 && type <= 6 ? names[type] : "an unknown method";
}

static int init_squashfs(appimage *ai)
{
	sqfs_err err = sqfs_init(&ai->fs, ai->fd, (size_t)ai->offset);
	if (err == SQFS_BADCOMP) {
		say("the image is compressed with %s, which this runtime cannot read",
		    compression_name(ai->fs.sb.compression));
		return -1;
	}
	if (err) {
		say("cannot read the image's tables: the file is damaged; download it again");
		return -1;
	}
	sqfs_inode root;
	if (sqfs_inode_get(&ai->fs, &root, sqfs_inode_root(&ai->fs)) || !S_ISDIR(root.base.mode)) {
		sqfs_destroy(&ai->fs);
		say("the image's root folder is damaged; download the AppImage again");
		return -1;
	}
	ai->fs_open = true;
	return 0;
}

int image_open(appimage *ai, const char *path)
{
	struct stat st;
	const char *why = NULL;
	memset(ai, 0, sizeof *ai);
	ai->fd = -1;
	if (!(ai->path = realpath(path, NULL))) {
		say("cannot find %s: %s", path, strerror(errno));
		return -1;
	}
	const char *slash = strrchr(ai->path, '/');
	ai->name = slash ? slash + 1 : ai->path;
	ai->fd = open(ai->path, O_RDONLY | O_CLOEXEC);
	if (ai->fd < 0 || fstat(ai->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		say("cannot open %s: %s", ai->path, ai->fd < 0 ? strerror(errno) : "not a file");
		return -1;
	}
	ai->file_size = st.st_size;
	if (elf_end_offset(ai->fd, ai->file_size, &ai->offset, &why) != 0) {
		say("%s", why);
		return -1;
	}
	char magic[3];
	if (!read_at(ai->fd, magic, 3, 8) || memcmp(magic, "AI\002", 3) != 0) {
		say("not a type-2 AppImage (no AI\\x02 at byte 8)");
		return -1;
	}
	read_check_section(ai);
	if (ai->offset >= ai->file_size) {
		say("the file is truncated: nothing follows the runtime (it ends at byte %lld); "
		    "download it again", (long long)ai->file_size);
		return -1;
	}
	return check_superblock(ai) == 0 && check_tables(ai) == 0 && init_squashfs(ai) == 0 ? 0 : -1;
}

/* FNV-1a over the superblock and every metadata table (inodes hold each file's size, block
 * list and time): any rebuilt image gets another value, an identical copy the same one. */
uint64_t image_fingerprint(appimage *ai)
{
	uint64_t hash = 0xcbf29ce484222325ULL;
	off_t start = ai->offset + (off_t)ai->tables_start;
	off_t end = ai->offset + (off_t)ai->image_size;
	unsigned char buf[65536];
	if (read_at(ai->fd, buf, sizeof(struct squashfs_super_block), ai->offset))
		for (size_t i = 0; i < sizeof(struct squashfs_super_block); i++)
			hash = (hash ^ buf[i]) * 0x100000001b3ULL;
	for (off_t at = start; at < end;) {
		size_t len = (size_t)(end - at) < sizeof buf ? (size_t)(end - at) : sizeof buf;
		if (!read_at(ai->fd, buf, len, at))
			break;
		for (size_t i = 0; i < len; i++)
			hash = (hash ^ buf[i]) * 0x100000001b3ULL;
		at += (off_t)len;
	}
	return hash;
}

int image_check_apprun(appimage *ai)
{
	sqfs_inode inode;
	bool found = false;
	if (sqfs_inode_get(&ai->fs, &inode, sqfs_inode_root(&ai->fs)) ||
	    sqfs_lookup_path(&ai->fs, &inode, "AppRun", &found)) {
		say("cannot read the image's root folder: the file is damaged; download it again");
		return -1;
	}
	if (!found || !(S_ISREG(inode.base.mode) || S_ISLNK(inode.base.mode))) {
		say("the image has no AppRun program in its root folder");
		return -1;
	}
	return 0;
}

void image_close(appimage *ai)
{
	if (ai->fs_open)
		sqfs_destroy(&ai->fs);
	ai->fs_open = false;
	if (ai->fd >= 0)
		close(ai->fd);
	ai->fd = -1;
}
