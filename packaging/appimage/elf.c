/* Reading the runtime's own ELF headers: where the image starts, and the section in which the
 * build recorded the image's checksums. 32- and 64-bit, either byte order. */
#define _GNU_SOURCE
#include "runtime.h"

#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
	bool big, is64;
	uint64_t shoff, shentsize, shnum, shstrndx;
} elf_info;

bool read_at(int fd, void *buf, size_t len, off_t at)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, at + (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		done += (size_t)n;
	}
	return true;
}

static uint64_t elf_uint(const unsigned char *p, int size, bool big_endian)
{
	uint64_t v = 0;
	for (int i = 0; i < size; i++)
		v |= (uint64_t)p[big_endian ? size - 1 - i : i] << (8 * i);
	return v;
}

static int read_elf_header(int fd, off_t file_size, elf_info *e, const char **why)
{
	unsigned char h[64];
	if (file_size < (off_t)sizeof h || !read_at(fd, h, sizeof h, 0))
		return *why = "too short to be an AppImage", -1;
	if (memcmp(h, ELFMAG, SELFMAG) != 0)
		return *why = "not an ELF file, so not an AppImage", -1;
	if (h[EI_DATA] != ELFDATA2LSB && h[EI_DATA] != ELFDATA2MSB)
		return *why = "damaged ELF header (unknown byte order)", -1;
	e->big = h[EI_DATA] == ELFDATA2MSB;
	e->is64 = h[EI_CLASS] == ELFCLASS64;
	if (!e->is64 && h[EI_CLASS] != ELFCLASS32)
		return *why = "damaged ELF header (unknown class)", -1;
	e->shoff = e->is64 ? elf_uint(h + 0x28, 8, e->big) : elf_uint(h + 0x20, 4, e->big);
	e->shentsize = elf_uint(h + (e->is64 ? 0x3A : 0x2E), 2, e->big);
	e->shnum = elf_uint(h + (e->is64 ? 0x3C : 0x30), 2, e->big);
	e->shstrndx = elf_uint(h + (e->is64 ? 0x3E : 0x32), 2, e->big);
	if (e->shoff == 0)
		return *why = "damaged ELF header (no section header table)", -1;
	if (e->shoff >= (uint64_t)file_size)
		return *why = "the file is truncated: it ends inside the runtime; download it again", -1;
	if (e->shnum == 0) { /* more than 0xff00 sections: the count is section 0's sh_size */
		unsigned char s[8];
		if (!read_at(fd, s, e->is64 ? 8 : 4, (off_t)e->shoff + (e->is64 ? 0x20 : 0x14)))
			return *why = "damaged ELF section header", -1;
		e->shnum = elf_uint(s, e->is64 ? 8 : 4, e->big);
	}
	if (e->shnum > (1u << 20) || e->shentsize < (e->is64 ? 0x40u : 0x28u) || e->shentsize > 256)
		return *why = "damaged ELF header (section count or size)", -1;
	return 0;
}

/* The AppImage type-2 specification: the image starts where the ELF file ends, which is the end
 * of its section header table (e_shoff + e_shnum * e_shentsize); the linker puts it last. */
int elf_end_offset(int fd, off_t file_size, off_t *offset, const char **why)
{
	elf_info e;
	if (read_elf_header(fd, file_size, &e, why) != 0)
		return -1;
	*offset = (off_t)(e.shoff + e.shnum * e.shentsize);
	return 0;
}

/* The file offset and size of the section named `want`; -1 when there is none. */
int elf_find_section(int fd, off_t file_size, const char *want, off_t *at, uint64_t *size)
{
	elf_info e;
	const char *why;
	unsigned char sh[256], name[64];
	if (read_elf_header(fd, file_size, &e, &why) != 0 || e.shstrndx >= e.shnum)
		return -1;
	int off = e.is64 ? 0x18 : 0x10, width = e.is64 ? 8 : 4;
	if (!read_at(fd, sh, e.shentsize, (off_t)(e.shoff + e.shstrndx * e.shentsize)))
		return -1;
	uint64_t names_at = elf_uint(sh + off, width, e.big);
	uint64_t names_size = elf_uint(sh + off + width, width, e.big);
	size_t want_len = strlen(want) + 1;
	for (uint64_t i = 1; i < e.shnum && i < 4096; i++) {
		if (!read_at(fd, sh, e.shentsize, (off_t)(e.shoff + i * e.shentsize)))
			return -1;
		uint64_t name_at = elf_uint(sh, 4, e.big);
		if (want_len > sizeof name || name_at + want_len > names_size ||
		    !read_at(fd, name, want_len, (off_t)(names_at + name_at)) ||
		    memcmp(name, want, want_len) != 0)
			continue;
		*at = (off_t)elf_uint(sh + off, width, e.big);
		*size = elf_uint(sh + off + width, width, e.big);
		return *at >= 0 && (uint64_t)*at + *size <= (uint64_t)file_size ? 0 : -1;
	}
	return -1;
}
